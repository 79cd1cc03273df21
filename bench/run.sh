#!/usr/bin/env bash
# Every benchmark against its peer, measured side by side in one run.
#   PEERS=../shared/bench/peers SEA=../shared/data/sea bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== $(date -u +%Y-%m-%dT%H:%MZ) $(uname -m) $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "== ConvVAE training (batch 16), 1 thread each"
THREADS=1 bash bench/convvae.sh
echo "== ConvVAE training (batch 16), 2 threads each"
THREADS=2 bash bench/convvae.sh
echo "== syscall LSTM language model (vocab 341, emb 32, LSTM 200, T 64, batch 64), 1 thread each"
THREADS=1 bash bench/lstm.sh
echo "== syscall LSTM language model, 2 threads each"
THREADS=2 bash bench/lstm.sh
echo "== IP Insights (20,000 entities, dim 128, 2^18 buckets, batch 1000) and its serving, 1 thread each"
THREADS=1 bash bench/ipinsights.sh
echo "== IP Insights and its serving, 2 threads each"
THREADS=2 bash bench/ipinsights.sh
echo "== LSTM VAE-GAN (T 32, emb 32, LSTM 60, latent 10, batch 64, two updates per step), 1 thread each"
THREADS=1 bash bench/vaegan.sh
echo "== LSTM VAE-GAN, 2 threads each"
THREADS=2 bash bench/vaegan.sh
echo "== command embeddings (skip-gram + subwords) vs fastText, 1 thread"
if [ -n "${SEA:-}" ] && [ -d "$SEA" ]; then
	bash bench/embed.sh -sea "$SEA"
else
	bash bench/embed.sh
fi
