#!/usr/bin/env bash
# Compares IP Insights (20,000 entity vectors of 128, 2^18 buckets per
# prefix table, batch 1,000 pairs) with PyTorch in the same run, both on
# THREADS CPU threads (default 1): training events/s of vigil's
# BenchmarkIPInsightsTrainStep against the peer torch_ipinsights.py. Then
# vigil's serving figures: records/s per core scored in process (batches
# of 10,000) and over HTTP /invocations on localhost (1,000 records per
# request, 2*THREADS clients), whose ratio is the HTTP overhead (a batch
# of 10,000 splits over THREADS goroutines in process; over HTTP the
# requests run side by side), and single-record latency over HTTP against
# in process (8 clients). REQUESTS (default
# 2000) sets the requests of each serving benchmark.
#   PEERS=../shared/bench/peers STEPS=20 THREADS=1 bench/ipinsights.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/bench/peers}
STEPS=${STEPS:-20}
THREADS=${THREADS:-1}
REQUESTS=${REQUESTS:-2000}
PY=${PY:-/usr/bin/python3}
[ -f "$PEERS/torch_ipinsights.py" ] || { echo "ipinsights.sh: no $PEERS/torch_ipinsights.py (set PEERS)" >&2; exit 1; }
"$PY" -c 'import torch' 2>/dev/null || { echo "ipinsights.sh: $PY cannot import torch (make bench-deps)" >&2; exit 1; }

pkg=./models/ipinsights
train=$(GOMAXPROCS=$THREADS go test -run '^$' -bench 'IPInsightsTrainStep$' -benchtime "${STEPS}x" $pkg | grep '^BenchmarkIPInsightsTrainStep')
peerTrain=$(THREADS=$THREADS "$PY" "$PEERS/torch_ipinsights.py" "$STEPS" cpu)
# The in-process batches score as many records as the HTTP requests.
ours=$(GOMAXPROCS=$THREADS go test -run '^$' -bench 'IPInsightsScore$' -benchtime "$((REQUESTS / 10 > 0 ? REQUESTS / 10 : 1))x" $pkg
	GOMAXPROCS=$THREADS go test -run '^$' -bench 'Serve(Batched|Single)$|ScoreInProcessSingle$' -benchtime "${REQUESTS}x" $pkg)
line() { grep -E "^Benchmark$1(-[0-9]+)?[[:space:]]" <<<"$ours"; }
metric() { awk -v m="$2" '{for (i = 1; i < NF; i++) if ($(i+1) == m) print $i}' <<<"$1"; }
score=$(line IPInsightsScore)
batched=$(line ServeBatched)
single=$(line ServeSingle)
inproc=$(line ScoreInProcessSingle)
echo "vigil:   $train (GOMAXPROCS=$THREADS)"
echo "pytorch: $peerTrain"
awk -v o="$(metric "$train" events/s)" -v p="$(sed -E 's/.*events_per_s=([0-9.]+).*/\1/' <<<"$peerTrain")" -v t="$THREADS" \
	'BEGIN { printf "ratio vigil/pytorch (IP Insights training events/s, %d thread(s)): %.2fx\n", t, o / p }'
for l in "$score" "$batched" "$single" "$inproc"; do
	echo "vigil:   $l (GOMAXPROCS=$THREADS)"
done
awk -v s="$(metric "$score" records/s)" -v h="$(metric "$batched" records/s)" -v t="$THREADS" \
	'BEGIN { printf "IP Insights batched records/s per core, %d thread(s): in process %.0f (one batch of 10,000 at a time), over HTTP %.0f (1,000 a request, %d clients), HTTP/in-process %.2fx\n", t, s / t, h / t, 2 * t, h / s }'
awk -v hp50="$(metric "$single" p50_ms)" -v hp99="$(metric "$single" p99_ms)" -v hr="$(metric "$single" requests/s)" \
	-v ip50="$(metric "$inproc" p50_ms)" -v ip99="$(metric "$inproc" p99_ms)" -v ir="$(metric "$inproc" records/s)" -v t="$THREADS" \
	'BEGIN { printf "IP Insights single records, 8 clients, %d thread(s): p50 %.3f ms over HTTP vs %.3f ms in process, p99 %.3f vs %.3f ms, %.0f vs %.0f records/s\n", t, hp50, ip50, hp99, ip99, hr, ir }'
