#!/usr/bin/env bash
# Compares training throughput of the seed ConvVAE (2,911,589 parameters,
# 1x100x50 inputs, batch 16) with the PyTorch reference in the same run:
# samples/s of vigil's BenchmarkConvVAEStepBatch16 against the peer script
# torch_convvae.py, both on THREADS CPU threads (default 1).
#   PEERS=../shared/bench/peers STEPS=10 THREADS=1 bench/convvae.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/bench/peers}
STEPS=${STEPS:-10}
THREADS=${THREADS:-1}
PY=${PY:-/usr/bin/python3}
[ -f "$PEERS/torch_convvae.py" ] || { echo "convvae.sh: no $PEERS/torch_convvae.py (set PEERS)" >&2; exit 1; }
"$PY" -c 'import torch' 2>/dev/null || { echo "convvae.sh: $PY cannot import torch (make bench-deps)" >&2; exit 1; }

ours=$(GOMAXPROCS=$THREADS go test -run '^$' -bench 'ConvVAEStepBatch16$' -benchtime "${STEPS}x" ./models/convvae | grep '^BenchmarkConvVAE')
peer=$(THREADS=$THREADS "$PY" "$PEERS/torch_convvae.py" "$STEPS" cpu)
ourSps=$(awk '{for (i = 1; i < NF; i++) if ($(i+1) == "samples/s") print $i}' <<<"$ours")
peerSps=$(sed -E 's/.*samples_per_s=([0-9.]+).*/\1/' <<<"$peer")
echo "vigil:   $ours (GOMAXPROCS=$THREADS)"
echo "pytorch: $peer"
awk -v o="$ourSps" -v p="$peerSps" -v t="$THREADS" 'BEGIN { printf "ratio vigil/pytorch (ConvVAE training samples/s, %d thread(s)): %.2fx\n", t, o / p }'
