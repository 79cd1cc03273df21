#!/usr/bin/env bash
# emu-mutants.sh: shows that the emulated-device suite can fail. Each mutant
# injects one bug into a copy of the tree (the kernels' CUDA C, the cuBLAS
# mapping, the executor), runs the suite there, and reports which tests
# caught it. Every mutant must be caught. Needs `make emu` done once and the
# CUDA headers of cuda-deps. Usage: scripts/emu-mutants.sh [NAME...]
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# name#file#sed expression[#file#sed expression ...]
mutants=(
	"im2col-off-by-one#cuda/kernels/im2col.cu#s/yy >= h \|\| xx < 0 \|\| xx >= w/yy > h || xx < 0 || xx >= w/"
	"missing-syncthreads#cuda/kernels/common.cuh#0,/    __syncthreads\(\);/s//    \/\/ \(removed\)/"
	"swapped-transpose#cuda/device/blas.go#s/opA, lda = cublasOpT, C.int\(g.M\)/opA, lda = cublasOpN, C.int(g.M)/"
	"wrong-leading-dimension#cuda/device/blas.go#s/opB, ldb = cublasOpT, C.int\(g.K\)/opB, ldb = cublasOpT, C.int(g.N)/"
	"stale-replay#cuda/exec/executor.go#s/e.extra, e.runs, e.replay = n, 0, nil/e.extra, e.runs = n, 0/"
	"stale-replay-on-freed-arena#cuda/exec/executor.go#s/e.extra, e.runs, e.replay = n, 0, nil/e.extra, e.runs = n, 0/#cuda/exec/gpu.go#s/if err := g.closeGraphs\(\); err != nil \{/if err := error(nil); err != nil {/"
)
want=("$@")
failed=0
for m in "${mutants[@]}"; do
	IFS='#' read -r -a f <<<"$m"
	name=${f[0]}
	if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " =~ " $name " ]]; then continue; fi
	tmp=$(mktemp -d)
	tar -C "$root" --exclude=./bin --exclude=./.cache --exclude=./runs --exclude=./out -cf - . | tar -C "$tmp" -xf -
	ln -s "$root/.cache" "$tmp/.cache"
	ok=1 files=""
	for ((i = 1; i < ${#f[@]}; i += 2)); do
		file=${f[i]} expr=${f[i + 1]}
		files="$files $file"
		cp "$tmp/$file" "$tmp/$file.orig"
		sed -E -i "$expr" "$tmp/$file"
		if cmp -s "$tmp/$file" "$tmp/$file.orig"; then
			echo "mutant $name: the edit did not apply to $file"; ok=0
		fi
		rm "$tmp/$file.orig"
	done
	if [ $ok -eq 0 ]; then failed=1; rm -rf "$tmp"; continue; fi
	(cd "$tmp" && make --no-print-directory emu bin/emu/emu_test bin/emu/fatbin_test CUDA_DEPS= >build.log 2>&1 &&
		CGO_ENABLED=1 CGO_CFLAGS="-I$root/.cache/cuda/root/usr/include" CGO_LDFLAGS="-L$root/.cache/cuda/root/usr/lib/x86_64-linux-gnu/stubs" \
			EMU_LOG=suite.log bash scripts/test-emu.sh >suite.out 2>&1)
	rc=$?
	caught=$(grep -E '^ *--- FAIL' "$tmp/suite.log" 2>/dev/null | sed -E 's/^ *--- FAIL: ([^ ]+).*/\1/' | sort -u | tr '\n' ' ')
	[ -z "$caught" ] && caught=$(grep -E 'FAIL|self-checks' "$tmp/suite.out" | head -3 | tr '\n' ' ')
	if [ $rc -eq 0 ]; then
		echo "mutant $name ($files ): NOT caught"; failed=1
	else
		echo "mutant $name ($files ): caught by $caught"
		grep -A3 -m1 -E '^ *--- FAIL' "$tmp/suite.log" 2>/dev/null | tail -n +2 | head -3 | cut -c1-300 | sed 's/^/    /'
		grep -m2 -E 'FAIL .*emu_test|race on|divergent' "$tmp/suite.log" 2>/dev/null | cut -c1-300 | sed 's/^/    /'
	fi
	rm -rf "$tmp"
done
exit $failed
