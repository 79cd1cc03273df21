#!/usr/bin/env bash
# Checks the GPU path on a machine with an NVIDIA GPU, from binaries built
# elsewhere by `make gpu-check-build` (no Go needed here):
#   1. the kernel, runtime and executor tests against the CPU (device.test,
#      exec.test: every kernel family, capture and the capture gate, the tiny
#      and seed ConvVAE train and eval programs, resident Adam steps replayed
#      as a CUDA graph, workers sharing the GPU), with VIGIL_EXPECT_GPU=1 so
#      that a GPU that cannot be opened fails them instead of skipping them;
#   2. every family on the GPU: the self-test's probes (ConvVAE, LSTM, IP
#      Insights, VAE-GAN) with their margin, and the TestGPU* runs of
#      experiments.test (each family trained on the GPU against the CPU
#      program or the tape) and cli.test;
#   3. the devices listing and self-test of vigil-cuda;
#   4. training throughput against PyTorch on the same GPU, STEPS steps
#      each, in this run: the seed ConvVAE (PEERS/torch_convvae.py ... cuda),
#      the LSTM language model (torch_lstm_lm.py) and the LSTM VAE-GAN
#      (torch_lstm_vaegan.py);
#   5. the quickstart config end to end: on the GPU with train.workers=1 and
#      CUDA_LAUNCH_BLOCKING=1 first (an error names the failing launch),
#      then with the default workers, then on the CPU; then the quickstarts
#      of the other families (hids, vaegan, ipinsights) on the GPU;
#   6. if compute-sanitizer is found and SANITIZE_S allows: the kernel tests
#      under memcheck, and the reduction kernels' tests under racecheck.
# Usage: PEERS=path/to/peers STEPS=200 OUT=dir SANITIZE_S=150 TOTAL_S=480 scripts/gpu-check.sh
# Logs go to OUT. Every step has a time limit, and all of them end by
# TOTAL_S seconds after the start (a step then reports that it timed out).
# cuBLAS is loaded at run time (libcublas.so.13, .12 or .11): from the
# loader path or the system, else from a CUDA 13 or 12 Python wheel
# (nvidia/cu13/lib, nvidia/cublas/lib), PyTorch's torch/lib, CONDA_PREFIX
# or a CUDA toolkit under /usr/local; the line "cuBLAS:" says which.
set -uo pipefail
cd "$(dirname "$0")/.."
B=bin/gpu
PEERS=${PEERS:-../shared/bench/peers}
STEPS=${STEPS:-200}
OUT=${OUT:-out/gpu-check}
PY=${PY:-python3}
SANITIZE_S=${SANITIZE_S:-150} # seconds for compute-sanitizer in all; under 60 skips it
TOTAL_S=${TOTAL_S:-480}
deadline=$(($(date +%s) + TOTAL_S))
# lim N: N seconds, or what is left before the deadline when that is less.
lim() {
	local left=$((deadline - $(date +%s)))
	echo $((left < $1 ? (left > 1 ? left : 1) : $1))
}
mkdir -p "$OUT"
# Unpack with xz, or with Python's lzma where xz is not installed.
[ -d "$B" ] || tar xJf bin/gpu-check.txz -C bin 2>/dev/null ||
	"$PY" -c 'import tarfile; tarfile.open("bin/gpu-check.txz").extractall("bin")' || exit 1
OUT=$(cd "$OUT" && pwd)
export VIGIL_EXPECT_GPU=1
status=0
step() { echo; echo "== $*"; }

# cublas_dirs prints "LAYOUT<TAB>DIR" for every existing folder that may hold
# cuBLAS, in the order searched.
cublas_dirs() {
	local d sp
	tr : '\n' <<<"${LD_LIBRARY_PATH:-}" | while read -r d; do
		[ -n "$d" ] && printf 'loader path\t%s\n' "$d"
	done
	ldconfig -p 2>/dev/null | sed -nE 's/^\s*libcublas\.so\.1[0-9] .*=> (.*)\/[^/]*$/system\t\1/p'
	while read -r sp; do
		for d in nvidia/cu13/lib nvidia/cublas/lib torch/lib; do
			[ -d "$sp/$d" ] && printf 'python package %s\t%s\n' "$d" "$sp/$d"
		done
	done < <("$PY" -c 'import sys; print("\n".join(p for p in sys.path if p))' 2>/dev/null)
	[ -n "${CONDA_PREFIX:-}" ] && [ -d "$CONDA_PREFIX/lib" ] && printf 'conda\t%s\n' "$CONDA_PREFIX/lib"
	for d in /usr/local/cuda*/lib64 /usr/local/cuda*/targets/*/lib; do
		[ -d "$d" ] && printf 'CUDA toolkit\t%s\n' "$d"
	done
}

# find_cublas picks the newest cuBLAS the driver can run (nvidia-smi's CUDA
# version), as vigil-cuda tries them, and puts its folder on the loader path
# unless the loader finds it already.
find_cublas() {
	local drv v layout dir
	drv=$(nvidia-smi 2>/dev/null | sed -nE 's/.*CUDA Version: *([0-9]+).*/\1/p' | head -1)
	for v in 13 12 11; do
		if [ -n "$drv" ] && [ "$v" -gt "$drv" ]; then continue; fi
		while IFS=$'\t' read -r layout dir; do
			[ -e "$dir/libcublas.so.$v" ] || continue
			case $layout in
			"loader path" | system) ;;
			*) export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ;;
			esac
			echo "cuBLAS: $dir/libcublas.so.$v ($layout; driver supports CUDA ${drv:-unknown})"
			return 0
		done < <(cublas_dirs)
	done
	echo "cuBLAS: no libcublas.so.13, .12 or .11 found (driver supports CUDA ${drv:-unknown}) in:"
	cublas_dirs | sed 's/^/  /'
	echo "  (the loader path, ldconfig, Python's nvidia/cu13/lib, nvidia/cublas/lib, torch/lib, \$CONDA_PREFIX/lib, /usr/local/cuda*)"
	return 1
}
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 | sed 's/^/GPU: /'
lscpu | sed -n 's/^Model name: */CPU: /p'
find_cublas || status=1

# gotest DIR NAME LIMIT ARGS...: runs bin/gpu/NAME.test in DIR, logging to OUT/NAME.log.
gotest() {
	local dir=$1 name=$2 limit
	limit=$(lim "$3")
	shift 3
	(cd "$dir" && timeout "$limit" "$OLDPWD/$B/$name.test" -test.count=1 -test.v "$@" >"$OUT/$name.log" 2>&1)
	local rc=$?
	grep -E '^(--- |FAIL|PASS|ok|panic)' "$OUT/$name.log"
	case $rc in
	0) ;;
	124) echo "$name: timed out after $limit s" ;;
	*) echo "$name: exit $rc"; tail -3 "$OUT/$name.log" ;;
	esac
	return $rc
}

step "GPU tests (device, exec), VIGIL_EXPECT_GPU=1"
gotest cuda/device device 150 || status=1
gotest cuda/exec exec 200 || status=1

step "every family on the GPU: self-test probes, experiments and CLI runs"
gotest cuda/selftest selftest 120 || status=1
gotest models/linear linear 60 -test.run '^TestGPU' || status=1
gotest experiments experiments 300 -test.run '^TestGPU' || status=1
gotest cmd/internal/cli cli 120 -test.run '^TestGPU' || status=1

step "vigil-cuda devices (CUDA_LAUNCH_BLOCKING=1)"
CUDA_LAUNCH_BLOCKING=1 timeout "$(lim 120)" "$B/vigil-cuda" devices 2>&1 | tee "$OUT/devices.log" || status=1

step "training throughput against PyTorch on the same GPU (STEPS=$STEPS)"
# gpubench NAME PKG BENCH UNIT PEER PEERUNIT: vigil's BENCH in PKG's test
# binary, STEPS steps, against PEERS/PEER ... cuda, and the ratio of their
# UNIT and PEERUNIT figures.
gpubench() {
	local name=$1 pkg=$2 bench=$3 unit=$4 peer=$5 punit=$6 ours theirs o p
	ours=$(cd "models/$pkg" && timeout "$(lim 120)" "$OLDPWD/$B/$pkg.test" -test.run '^$' -test.bench "^$bench\$" -test.benchtime "${STEPS}x" 2>&1 | tee "$OUT/bench-$pkg.log" | grep '^BenchmarkGPU')
	theirs=$(timeout "$(lim 120)" "$PY" "$PEERS/$peer" "$STEPS" cuda 2>&1 | tee "$OUT/torch-$pkg.log" | tail -1)
	echo "vigil:   $ours"
	echo "pytorch: $theirs"
	o=$(awk -v u="$unit" '{for (i = 1; i < NF; i++) if ($(i+1) == u) print $i}' <<<"$ours")
	p=$(sed -nE "s/.*$punit=([0-9.]+).*/\1/p" <<<"$theirs")
	if [ -n "$o" ] && [ -n "$p" ]; then
		awk -v o="$o" -v p="$p" -v n="$name" -v u="$unit" 'BEGIN { printf "ratio vigil/pytorch (%s training %s, GPU): %.2fx\n", n, u, o / p }'
	else
		echo "no ratio (see $OUT/bench-$pkg.log, $OUT/torch-$pkg.log)"; status=1
	fi
}
gpubench "seed ConvVAE, batch 16" convvae BenchmarkGPUConvVAEStepBatch16 samples/s torch_convvae.py samples_per_s
gpubench "LSTM language model" lstm BenchmarkGPULSTMLMTrainStep tokens/s torch_lstm_lm.py tokens_per_s
gpubench "LSTM VAE-GAN" vaegan BenchmarkGPUVAEGANTrainStep windows/s torch_lstm_vaegan.py windows_per_s

step "quickstart end to end: GPU with 1 worker and CUDA_LAUNCH_BLOCKING=1, GPU, CPU"
# quickstart NAME "VAR=VALUE ..." ARGS...: runs the quickstart config with ARGS
# and those environment variables.
quickstart() {
	local name=$1 vars=$2 start rc
	shift 2
	start=$(date +%s)
	rm -rf "$OUT/quickstart-$name" # a run left there would resume, not train
	# shellcheck disable=SC2086 # vars is a list of words
	env $vars timeout "$(lim 150)" "$B/vigil" run "$@" --out "$OUT/quickstart-$name" >"$OUT/quickstart-$name.log" 2>&1
	rc=$?
	echo "$name: exit $rc, $(($(date +%s) - start)) s, $(grep -o '"auc": *[0-9.]*' "$OUT/quickstart-$name/metrics.json" 2>/dev/null | head -1)"
	[ $rc -eq 0 ] || { tail -5 "$OUT/quickstart-$name.log"; status=1; }
}
quickstart cuda-1worker-blocking CUDA_LAUNCH_BLOCKING=1 --set device=cuda --set train.workers=1
quickstart cuda "" --set device=cuda
quickstart cpu "" --set device=cpu
for c in hids_quickstart vaegan_quickstart ipinsights_quickstart; do
	quickstart "$c-cuda" "" "experiments/configs/$c.yaml" --set device=cuda
done

step "compute-sanitizer: memcheck on the kernel tests, racecheck on the reductions"
san=$(command -v compute-sanitizer || ls /usr/local/cuda*/bin/compute-sanitizer 2>/dev/null | head -1)
kernels='^Test(Unary|Binary|BinaryBcast|FillCopyAxpy|BiasAct|Reduce|Repeat|Transpose|SliceConcat|GatherScatter|Softmax|Dropout|BernoulliMask|BCELogits|Optimizers|NonFinite|Im2Col|Upsample)$'
reductions='^Test(Reduce|Softmax|BiasAct|BCELogits|NonFinite)$'
if [ -z "$san" ]; then
	echo "skipped: compute-sanitizer not found"
elif [ "$SANITIZE_S" -lt 60 ]; then
	echo "skipped: SANITIZE_S=$SANITIZE_S (60 or more runs it)"
else
	for tool in memcheck racecheck; do
		limit=$(lim $((SANITIZE_S * 2 / 3))) run=$kernels
		[ $tool = racecheck ] && limit=$(lim $((SANITIZE_S / 3))) run=$reductions
		(cd cuda/device && timeout "$limit" "$san" --tool $tool --error-exitcode 3 \
			"$OLDPWD/$B/device.test" -test.count=1 -test.run "$run" >"$OUT/sanitizer-$tool.log" 2>&1)
		rc=$?
		case $rc in
		0) echo "$tool: no errors" ;;
		124) echo "$tool: not finished within $limit s (raise SANITIZE_S); see $OUT/sanitizer-$tool.log" ;;
		*) echo "$tool: FAIL (exit $rc)"; grep -E '^=========' "$OUT/sanitizer-$tool.log" | head -20; status=1 ;;
		esac
	done
fi
exit $status
