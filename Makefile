# vigil: `make demo` runs the embedded quickstart, `make test` runs the tests.
GO       ?= go
BIN      := bin
SHARED   ?= ../shared
SEA      ?= $(SHARED)/data/sea
PEERS    ?= $(SHARED)/bench/peers
OUT      ?= runs

.PHONY: all build demo test test-short vet fuzz bench bench-deps sea-fast sea-convvae clean

all: build

build:
	$(GO) build -buildvcs=auto -o $(BIN)/vigil ./cmd/vigil

## demo: train and evaluate on synthetic SEA-format data (about two minutes on a CPU)
demo: build
	$(BIN)/vigil run --out $(OUT)/demo
	@echo "open $(OUT)/demo/report.html"

## test: vet and run every test (fuzz seeds included)
test: vet
	$(GO) test -timeout 30m ./...

vet:
	$(GO) vet ./...

## fuzz: run each fuzzer for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseSEASummary -fuzztime $(FUZZTIME) ./datasets/
	$(GO) test -run '^$$' -fuzz FuzzReadVec -fuzztime $(FUZZTIME) ./datasets/embed/
	$(GO) test -run '^$$' -fuzz FuzzReadSafetensors -fuzztime $(FUZZTIME) ./checkpoints/

## bench-deps: the peers benchmarks compare against (Debian packages)
bench-deps:
	@command -v fasttext >/dev/null && /usr/bin/python3 -c 'import torch' 2>/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch fasttext)

## bench: ConvVAE training vs PyTorch and embeddings vs fastText, measured in one run
bench: bench-deps
	PEERS=$(PEERS) SEA=$(SEA) bash bench/run.sh

## sea-fast: all 50 SEA users on a CPU in about 30 minutes (needs the real data in $(SEA))
sea-fast: build
	$(BIN)/vigil run experiments/configs/sea_fast.yaml --set data.path=$(SEA) --out $(OUT)/sea_fast

## sea-convvae: the seed's full-size model (hours on a CPU)
sea-convvae: build
	$(BIN)/vigil run experiments/configs/sea_convvae.yaml --set data.path=$(SEA) --out $(OUT)/sea_convvae

clean:
	rm -rf $(BIN) $(OUT)
