#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (initdb, pg_ctl) are installed, for
# the run registry's tests against a real server (experiments/registry/pgtest
# starts a throwaway cluster from them). Installs Debian's postgresql package
# when none is found; needs root (or sudo) and the Debian mirrors.
set -euo pipefail
found() {
	command -v initdb >/dev/null 2>&1 && return 0
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}
if found; then
	echo "postgres-deps: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1 || command -v initdb)"
	exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "postgres-deps: installing Debian's postgresql"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
found || { echo "postgres-deps: initdb still not found" >&2; exit 1; }
