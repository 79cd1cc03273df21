#!/usr/bin/env bash
# Compares the skip-gram training speed of datasets/embed with the fastText
# program on the same corpus, in words/sec/thread (tokens x epochs / seconds
# of training / threads), with fastText's skip-gram settings: dim 50, ws 5,
# neg 5, minn 3, maxn 6, epoch 5, lr 0.05, minCount 1, bucket 2000000,
# t 1e-4, one thread. Extra arguments go to the Go program, e.g.
#   bench/embed.sh -sea path/to/sea
# to use the real SEA data instead of synthetic data.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v fasttext >/dev/null || { echo "embed.sh: fasttext not found in PATH" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/embedbench" ./bench/embed
ours=$("$tmp/embedbench" -corpus "$tmp/corpus.txt" "$@")

t0=$(date +%s.%N)
fasttext skipgram -input "$tmp/corpus.txt" -output "$tmp/ft" -dim 50 -ws 5 -neg 5 \
	-minn 3 -maxn 6 -epoch 5 -lr 0.05 -minCount 1 -bucket 2000000 -t 1e-4 -thread 1 \
	>"$tmp/ft.log" 2>&1
t1=$(date +%s.%N)
ftline=$(tr '\r' '\n' <"$tmp/ft.log" | grep 'words/sec/thread' | tail -n 1)
ftwps=$(sed -E 's/.*words\/sec\/thread: *([0-9]+).*/\1/' <<<"$ftline")
ourwps=$(sed -E 's/.*words\/sec\/thread: *([0-9.]+).*/\1/' <<<"$ours")

echo "$ours"
echo "fasttext:    $(sed -E 's/^ *//' <<<"$ftline") process_s: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
awk -v o="$ourwps" -v f="$ftwps" 'BEGIN { printf "ratio ours/fasttext (words/sec/thread): %.2fx\n", o / f }'
