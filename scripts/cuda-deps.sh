#!/usr/bin/env bash
# cuda-deps.sh: fetch what the GPU build needs (CUDA 11.8 headers, the libcuda link stub and
# the nvcc toolchain) from Debian bookworm's non-free archive, without installing anything:
# a private apt configuration downloads two .debs and only the needed parts are unpacked
# into .cache/cuda/root. The system's apt sources, package state and files are not touched.
#
# Prints the paths of the unpacked tree (CUDA_ROOT, CUDA_INCLUDE, CUDA_STUBS, NVCC) and exits
# early when a complete tree is already there. No GPU is needed.
#
# Environment:
#   CUDA_CACHE   cache folder (default: <repo>/.cache/cuda)
#   CUDA_MIRROR  Debian mirror (default: http://deb.debian.org/debian)
#   CUDA_KEEP_DEBS=1  keep the downloaded .debs (about 860 MB) and apt lists after unpacking
#
# Needs apt-get, dpkg-deb and tar (a Debian or Debian-based amd64 host that trusts Debian's
# archive key; the Dockerfile.gpu builder stage is one).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${CUDA_CACHE:-$repo/.cache/cuda}"
mirror="${CUDA_MIRROR:-http://deb.debian.org/debian}"
root="$cache/root"
stamp="$root/.complete"
# Bump when what is unpacked changes, so that existing caches are redone.
layout=1
# CUDA 11.8 is what bookworm ships; gorgonia.org/cu does not build against CUDA 13 headers.
want_version="11.8."
# (cicc does not load libnvvm.so: the libnvvm4 package is not needed.)
packages=(nvidia-cuda-dev nvidia-cuda-toolkit)

die() { echo "cuda-deps: $*" >&2; exit 1; }

print_paths() {
	echo "CUDA_ROOT=$root"
	echo "CUDA_INCLUDE=$root/usr/include"
	echo "CUDA_STUBS=$root/usr/lib/x86_64-linux-gnu/stubs"
	echo "NVCC=$root/usr/lib/nvidia-cuda-toolkit/bin/nvcc"
}

if [[ -f "$stamp" ]] && grep -q "(layout $layout)" "$stamp"; then
	echo "cuda-deps: already present ($(cat "$stamp"))"
	print_paths
	exit 0
fi

for tool in apt-get dpkg-deb tar; do
	command -v "$tool" >/dev/null || die "$tool not found: this script needs a Debian-based host (or build with Dockerfile.gpu)"
done
if command -v dpkg >/dev/null && [[ "$(dpkg --print-architecture)" != amd64 ]]; then
	die "only amd64 is supported (this host is $(dpkg --print-architecture))"
fi

start=$SECONDS
apt_dir="$cache/apt"
debs="$cache/debs"
mkdir -p "$apt_dir"/{lists/partial,cache/archives/partial,etc} "$debs"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
signed_by=""
[[ -f "$keyring" ]] && signed_by="[signed-by=$keyring] "
echo "deb ${signed_by}$mirror bookworm main contrib non-free non-free-firmware" >"$apt_dir/etc/sources.list"
apt_opts=(
	-o "Dir::Etc::sourcelist=$apt_dir/etc/sources.list"
	-o "Dir::Etc::sourceparts=-"
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache=$apt_dir/cache"
	-o "Dir::State::status=/var/lib/dpkg/status"
	-o "Debug::NoLocking=1"
	-o "APT::Sandbox::User=$(id -un)"
	-o "Acquire::Retries=3"
)

echo "cuda-deps: apt-get update (private configuration, $mirror bookworm non-free)"
apt-get "${apt_opts[@]}" --error-on=any update -qq || die "apt-get update failed (network, mirror or archive key)"

echo "cuda-deps: downloading ${packages[*]}"
rm -f "$debs"/*.deb
(cd "$debs" && apt-get "${apt_opts[@]}" download "${packages[@]}") || die "apt-get download failed"

deb() {
	local f
	f=$(ls "$debs/$1"_*.deb 2>/dev/null | head -n1)
	[[ -n "$f" ]] || die "$1: no .deb downloaded"
	echo "$f"
}
dev_deb=$(deb nvidia-cuda-dev)
toolkit_deb=$(deb nvidia-cuda-toolkit)
version=$(dpkg-deb -f "$dev_deb" Version)
[[ "$version" == "$want_version"* ]] || die "nvidia-cuda-dev is $version, expected CUDA $want_version*"

echo "cuda-deps: unpacking into $root"
rm -rf "$root.tmp"
mkdir -p "$root.tmp"
# Headers and link stubs (the rest of this 770 MB package is libraries the build does not use).
dpkg-deb --fsys-tarfile "$dev_deb" | tar -x -C "$root.tmp" \
	--wildcards './usr/include/*' './usr/lib/x86_64-linux-gnu/stubs/*'
# The nvcc driver and the tools it runs (no profilers, sanitizers or disassemblers).
dpkg-deb --fsys-tarfile "$toolkit_deb" | tar -x -C "$root.tmp" \
	./usr/bin/cudafe++ ./usr/bin/ptxas ./usr/bin/fatbinary ./usr/bin/nvlink \
	./usr/bin/bin2c ./usr/bin/cuobjdump ./usr/bin/nvprune ./usr/bin/cu++filt \
	./usr/lib/nvidia-cuda-toolkit/bin/nvcc ./usr/lib/nvidia-cuda-toolkit/bin/cicc \
	./usr/lib/nvidia-cuda-toolkit/bin/crt \
	./usr/lib/nvidia-cuda-toolkit/libdevice

# The packaged nvcc.profile is a link to /etc/nvcc.profile with absolute /usr paths, and the
# packaged bin/gcc wrapper insists on gcc <= 11. This profile makes the tree relocatable;
# host compiler selection is left to the caller (-ccbin, -allow-unsupported-compiler).
cat >"$root.tmp/usr/lib/nvidia-cuda-toolkit/bin/nvcc.profile" <<'EOF'
# Relocatable profile written by scripts/cuda-deps.sh (_HERE_ is this folder).
NVVMIR_LIBRARY_DIR = $(_HERE_)/../libdevice
PATH += $(_HERE_):$(_HERE_)/../../../bin:
INCLUDES += "-I$(_HERE_)/../../../include" $(_SPACE_)
LIBRARIES =+ $(_SPACE_) "-L$(_HERE_)/../../x86_64-linux-gnu/stubs"
EOF

[[ -f "$root.tmp/usr/include/cuda.h" ]] || die "cuda.h missing after unpacking"
[[ -f "$root.tmp/usr/lib/x86_64-linux-gnu/stubs/libcuda.so" ]] || die "libcuda.so stub missing after unpacking"
echo "nvidia-cuda-dev $version (layout $layout)" >"$root.tmp/.complete"
rm -rf "$root"
mv "$root.tmp" "$root"
if [[ "${CUDA_KEEP_DEBS:-0}" != 1 ]]; then
	rm -rf "$debs" "$apt_dir"
fi
echo "cuda-deps: done in $((SECONDS - start)) s ($(du -sh "$root" | cut -f1))"
print_paths
