#!/usr/bin/env bash
# Checks the GPU path on a machine with an NVIDIA GPU, from binaries built
# elsewhere by `make gpu-check-build` (no Go needed here):
#   1. the kernel, runtime and executor tests against the CPU (device.test,
#      exec.test: every kernel family, the tiny and seed ConvVAE train and
#      eval programs, resident Adam steps replayed as a CUDA graph);
#   2. the devices listing and self-test of vigil-cuda;
#   3. the seed ConvVAE training throughput against PyTorch on the same GPU
#      (PEERS/torch_convvae.py ... cuda), STEPS steps each, in this run;
#   4. the quickstart config end to end with device=cuda and device=cpu.
# Usage: PEERS=path/to/peers STEPS=200 OUT=dir scripts/gpu-check.sh
# cuBLAS is loaded at run time: from the system, else from PyTorch's
# nvidia/cublas/lib (or set LD_LIBRARY_PATH to a folder holding
# libcublas.so.13, .12 or .11).
set -uo pipefail
cd "$(dirname "$0")/.."
B=bin/gpu
PEERS=${PEERS:-../shared/bench/peers}
STEPS=${STEPS:-200}
OUT=${OUT:-out/gpu-check}
PY=${PY:-python3}
mkdir -p "$OUT"
[ -d "$B" ] || tar xzf bin/gpu-check.tgz -C bin || exit 1
# cuBLAS: the system's, else the one a pip-installed PyTorch brings.
if ! ldconfig -p 2>/dev/null | grep -q 'libcublas\.so\.1[123]'; then
	lib=$("$PY" -c 'import nvidia.cublas as c, os; print(os.path.join(list(c.__path__)[0], "lib"))' 2>/dev/null) &&
		export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" && echo "cuBLAS from $lib"
fi
status=0
step() { echo; echo "== $*"; }

step "GPU tests (device, exec)"
for t in device exec; do
	(cd "cuda/$t" && "../../$B/$t.test" -test.v -test.count=1 2>&1) | tee "$OUT/$t.log" | grep -E '^(--- |FAIL|PASS|ok)' || true
	grep -q '^FAIL' "$OUT/$t.log" && status=1
done

step "vigil-cuda devices"
"$B/vigil-cuda" devices || status=1

step "seed ConvVAE training throughput, batch 16 (vigil vs PyTorch, same GPU)"
ours=$(cd models/convvae && "../../$B/convvae.test" -test.run '^$' -test.bench 'GPUConvVAEStepBatch16$' -test.benchtime "${STEPS}x" 2>&1 | tee "../../$OUT/bench.log" | grep '^BenchmarkGPU')
peer=$("$PY" "$PEERS/torch_convvae.py" "$STEPS" cuda 2>&1 | tail -1)
echo "vigil:   $ours"
echo "pytorch: $peer"
o=$(awk '{for (i = 1; i < NF; i++) if ($(i+1) == "samples/s") print $i}' <<<"$ours")
p=$(sed -nE 's/.*samples_per_s=([0-9.]+).*/\1/p' <<<"$peer")
if [ -n "$o" ] && [ -n "$p" ]; then
	awk -v o="$o" -v p="$p" 'BEGIN { printf "ratio vigil/pytorch (seed ConvVAE training samples/s, GPU): %.2fx\n", o / p }'
else
	echo "no ratio (see $OUT/bench.log)"; status=1
fi

step "quickstart end to end: device=cuda, then device=cpu"
for dev in cuda cpu; do
	start=$(date +%s)
	"$B/vigil" run --set device=$dev --out "$OUT/quickstart-$dev" >"$OUT/quickstart-$dev.log" 2>&1 || status=1
	echo "$dev: $(( $(date +%s) - start )) s, $(grep -o '"auc": *[0-9.]*' "$OUT/quickstart-$dev/metrics.json" | head -1)"
done
exit $status
