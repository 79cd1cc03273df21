#!/usr/bin/env bash
# Makes sure a Prometheus Pushgateway binary is installed, for the integration
# test of eval/pushgateway (it starts a throwaway gateway on a loopback port).
# Installs Debian's prometheus-pushgateway package when neither
# prometheus-pushgateway nor pushgateway is on PATH; needs root (or sudo) and
# the Debian mirrors. The package's own service is not wanted: policy-rc.d
# asks invoke-rc.d not to start it, and a failure to start it anyway (no
# systemd in a container) does not matter. The exit status says only whether
# the binary is present afterwards.
set -uo pipefail
find_bin() {
	command -v prometheus-pushgateway 2>/dev/null && return 0
	command -v pushgateway 2>/dev/null && return 0
	[ -x /usr/bin/prometheus-pushgateway ] && { echo /usr/bin/prometheus-pushgateway; return 0; }
	return 1
}
report() {
	echo "pushgateway-deps: $1 ($("$1" --version 2>&1 | head -1))"
}
if bin=$(find_bin); then
	report "$bin"
	exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "pushgateway-deps: installing Debian's prometheus-pushgateway"
# Keep the package's maintainer scripts from starting the service: a
# policy-rc.d that exits 101 makes invoke-rc.d (and deb-systemd-invoke) skip
# the start. Only add one when none exists, and remove only our own.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
	if printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy"; then
		added_policy=1
	fi
fi
cleanup() { [ "$added_policy" -eq 1 ] && $sudo rm -f "$policy"; return 0; }
trap cleanup EXIT
$sudo apt-get update -qq || echo "pushgateway-deps: apt-get update failed" >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
	prometheus-pushgateway >/dev/null ||
	echo "pushgateway-deps: apt-get install reported an error (a service start failure is harmless)" >&2
if bin=$(find_bin); then
	report "$bin"
	exit 0
fi
echo "pushgateway-deps: pushgateway binary still not found" >&2
exit 1
