#!/usr/bin/env bash
# Compares the LSTM VAE-GAN (windows of 32 calls embedded in 32 dimensions,
# LSTMs of 60, latent 10, batches of 64, two updates per step: encoder and
# decoder, then discriminator, each with Adam 1e-3) with PyTorch in the same
# run, both on THREADS CPU threads (default 1): training windows/s of
# vigil's BenchmarkVAEGANTrainStep against the peer torch_lstm_vaegan.py.
#   PEERS=../shared/bench/peers STEPS=20 THREADS=1 bench/vaegan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/bench/peers}
STEPS=${STEPS:-20}
THREADS=${THREADS:-1}
PY=${PY:-/usr/bin/python3}
[ -f "$PEERS/torch_lstm_vaegan.py" ] || { echo "vaegan.sh: no $PEERS/torch_lstm_vaegan.py (set PEERS)" >&2; exit 1; }
"$PY" -c 'import torch' 2>/dev/null || { echo "vaegan.sh: $PY cannot import torch (make bench-deps)" >&2; exit 1; }

ours=$(GOMAXPROCS=$THREADS go test -run '^$' -bench 'VAEGANTrainStep$' -benchtime "${STEPS}x" ./models/vaegan | grep '^BenchmarkVAEGANTrainStep')
peer=$(THREADS=$THREADS "$PY" "$PEERS/torch_lstm_vaegan.py" "$STEPS" cpu)
echo "vigil:   $ours (GOMAXPROCS=$THREADS)"
echo "pytorch: $peer"
awk -v o="$(awk '{for (i = 1; i < NF; i++) if ($(i+1) == "windows/s") print $i}' <<<"$ours")" \
	-v p="$(sed -E 's/.*windows_per_s=([0-9.]+).*/\1/' <<<"$peer")" -v t="$THREADS" \
	'BEGIN { printf "ratio vigil/pytorch (LSTM VAE-GAN training windows/s, %d thread(s)): %.2fx\n", t, o / p }'
