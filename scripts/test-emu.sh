#!/usr/bin/env bash
# test-emu.sh: the emulated-device suite. Runs the emulator's own checks, then
# every gpu-tagged test against the emulated driver (bin/emu/lib, loaded
# through LD_LIBRARY_PATH instead of NVIDIA's libcuda.so.1 and
# libcublas.so.13), and prints one closing line with the counts. A skipped
# GPU test fails the suite (VIGIL_EXPECT_GPU=1): on the emulated device every
# GPU test must run. Expects `make emu bin/emu/emu_test bin/emu/fatbin_test
# bin/emu/cublas_test` (make test-emu builds them).
# Environment: GO, GPU_PKGS (packages with gpu-tagged tests), GOFLAGS.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
GPU_PKGS=${GPU_PKGS:-./cuda/device ./cuda/exec ./cuda/selftest ./models/convvae ./models/linear}
# Packages whose other tests are about the build without a GPU: only their GPU tests.
GPU_ONLY_PKGS=${GPU_ONLY_PKGS:-./experiments ./cmd/internal/cli}
log=${EMU_LOG:-bin/emu/test.log}
lib=$PWD/bin/emu/lib
status=0
: >"$log"

echo "== emulated device: self-checks"
bin/emu/emu_test cuda/kernels/kernels.fatbin 2>>"$log" | tee -a "$log" || status=1
bin/emu/fatbin_test . 2>&1 | tail -1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
bin/emu/cublas_test 2>&1 | tail -1 | sed "s/^/emulated cuBLAS (fake driver): /" | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== emulated device: gpu-tagged Go tests ($GPU_PKGS; TestGPU* of $GPU_ONLY_PKGS)"
start=$SECONDS
export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" VIGIL_EXPECT_GPU=1
"$GO" test -tags gpu -count=1 -v -timeout 20m $GPU_PKGS >>"$log" 2>&1 || status=1
"$GO" test -tags gpu -count=1 -v -timeout 20m -run '^TestGPU' $GPU_ONLY_PKGS >>"$log" 2>&1 || status=1
grep -E '^(ok|FAIL|---)' "$log" | grep -vE '^--- PASS' || true
pass=$(grep -cE '^ *--- PASS' "$log")
fail=$(grep -cE '^ *--- FAIL' "$log")
skip=$(grep -cE '^ *--- SKIP' "$log")
[ "$skip" -eq 0 ] || status=1
echo "emulated GPU suite ($((SECONDS - start)) s, log $log): $pass passed, $fail failed, $skip skipped"
exit $status
