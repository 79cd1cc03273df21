#!/usr/bin/env bash
# Compares the next-call LSTM language model (vocabulary 341, embedding 32,
# LSTM 200, windows of 64, batch 64) with PyTorch in the same run, both on
# THREADS CPU threads (default 1): training tokens/s of vigil's
# BenchmarkLSTMLMTrainStep against the peer torch_lstm_lm.py, and calls
# scored/s of BenchmarkLSTMLMScore against bench/torch_lstm_score.py (the
# same model, forward only).
#   PEERS=../shared/bench/peers STEPS=20 THREADS=1 bench/lstm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/bench/peers}
STEPS=${STEPS:-20}
THREADS=${THREADS:-1}
PY=${PY:-/usr/bin/python3}
[ -f "$PEERS/torch_lstm_lm.py" ] || { echo "lstm.sh: no $PEERS/torch_lstm_lm.py (set PEERS)" >&2; exit 1; }
"$PY" -c 'import torch' 2>/dev/null || { echo "lstm.sh: $PY cannot import torch (make bench-deps)" >&2; exit 1; }

ours=$(GOMAXPROCS=$THREADS go test -run '^$' -bench 'LSTMLM(TrainStep|Score)$' -benchtime "${STEPS}x" ./models/lstm | grep '^BenchmarkLSTMLM')
peerTrain=$(THREADS=$THREADS "$PY" "$PEERS/torch_lstm_lm.py" "$STEPS" cpu)
peerScore=$(THREADS=$THREADS "$PY" bench/torch_lstm_score.py "$STEPS" cpu)
metric() { awk -v m="$2" '{for (i = 1; i < NF; i++) if ($(i+1) == m) print $i}' <<<"$1"; }
ourTrain=$(metric "$(grep TrainStep <<<"$ours")" tokens/s)
ourScore=$(metric "$(grep Score <<<"$ours")" calls/s)
echo "vigil:   $(grep TrainStep <<<"$ours") (GOMAXPROCS=$THREADS)"
echo "vigil:   $(grep Score <<<"$ours") (GOMAXPROCS=$THREADS)"
echo "pytorch: $peerTrain"
echo "pytorch: $peerScore"
awk -v o="$ourTrain" -v p="$(sed -E 's/.*tokens_per_s=([0-9.]+).*/\1/' <<<"$peerTrain")" -v t="$THREADS" \
	'BEGIN { printf "ratio vigil/pytorch (LSTM LM training tokens/s, %d thread(s)): %.2fx\n", t, o / p }'
awk -v o="$ourScore" -v p="$(sed -E 's/.*calls_per_s=([0-9.]+).*/\1/' <<<"$peerScore")" -v t="$THREADS" \
	'BEGIN { printf "ratio vigil/pytorch (LSTM LM calls scored/s, %d thread(s)): %.2fx\n", t, o / p }'
