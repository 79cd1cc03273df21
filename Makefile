# vigil: `make demo` runs the embedded quickstart, `make test` runs the tests.
GO       ?= go
BIN      := bin
SHARED   ?= ../shared
SEA      ?= $(SHARED)/data/sea
ADFA     ?= $(SHARED)/data/adfa-ld
LIDDS    ?= $(SHARED)/data/lid-ds/lid-ds-2021/Bruteforce_CWE-307
CERT     ?= $(SHARED)/data/cert/r4.2
SSHD     ?= $(SHARED)/data/auth/loghub-openssh/OpenSSH_2k.log
PEERS    ?= $(SHARED)/bench/peers
OUT      ?= runs

.PHONY: all build demo test test-emu emu-quickstart emu-mutants test-short vet fuzz bench bench-deps bench-tabular sea-fast sea-swept sea-convvae hids-adfa hids-lidds vaegan-adfa ipinsights ipinsights-synthetic ipinsights-sshd sweep-quickstart sea-sweep hids-adfa-sweep cert-quickstart cert-ablation cert-ablation-hard cert-weekly cert-r42 miner-quickstart miner clean
.PHONY: cuda-deps kernels kernels-check cuda vet-gpu gpu-check-build

all: build

build:
	$(GO) build -buildvcs=auto -o $(BIN)/vigil ./cmd/vigil

## demo: train and evaluate on synthetic SEA-format data (about two minutes on a CPU)
demo: build
	$(BIN)/vigil run --out $(OUT)/demo
	@echo "open $(OUT)/demo/report.html"

## test: vet and run every test (fuzz seeds included), then the GPU path's tests on the
## emulated device (see cuda/emu/README.md)
test: vet
	$(GO) test -timeout 30m ./...
	$(MAKE) --no-print-directory test-emu

## emu-quickstart: the quickstart on the emulated GPU (vigil hands the run over to vigil-cuda)
## against the CPU program backend, dropout off so that both draw no masks; prints both AUCs
emu-quickstart: build cuda emu
	LD_LIBRARY_PATH=$(CURDIR)/$(BIN)/emu/lib $(BIN)/vigil run --set device=cuda --set 'model.dropouts=[0,0]' --out $(OUT)/emu-quickstart-cuda
	$(BIN)/vigil run --set device=cpu --set executor=program --set 'model.dropouts=[0,0]' --out $(OUT)/emu-quickstart-cpu
	@for d in cuda cpu; do echo "$$d: $$(grep -o '"auc": *[0-9.]*' $(OUT)/emu-quickstart-$$d/metrics.json | head -1)"; done

## emu-mutants: inject known bugs one at a time and check the emulated-device suite catches each
emu-mutants: emu
	bash scripts/emu-mutants.sh

## test-emu: the emulated-device suite: the emulator's self-checks and every gpu-tagged test
test-emu: emu $(BIN)/emu/emu_test $(BIN)/emu/fatbin_test $(BIN)/emu/cublas_test
	$(GPU_ENV) GO=$(GO) bash scripts/test-emu.sh

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

## bench-tabular: models/svm and models/forest vs scikit-learn's SVC and RandomForestClassifier, same data, one run
bench-tabular:
	@/usr/bin/python3 -c 'import sklearn' 2>/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn)
	bash bench/tabular.sh

## cert-quickstart: insider threat on generated CERT-format data (200 users), the seed's ablation; seconds
cert-quickstart: build
	$(BIN)/vigil run experiments/configs/cert_quickstart.yaml --out $(OUT)/cert_quickstart

## cert-ablation: the ablation at r4.2's scale on generated data (1,000 users, 70 insiders); minutes
cert-ablation: build
	$(BIN)/vigil run experiments/configs/cert_ablation.yaml --out $(OUT)/cert_ablation

## cert-ablation-hard: the same with more hard negatives (half the users with drives, 10% leavers) and the seed's 96 features
cert-ablation-hard: build
	$(BIN)/vigil run experiments/configs/cert_ablation.yaml --set name=cert_ablation_hard --set data.device_users=0.5 \
	  --set data.leavers=0.1 --set features.ops=seed --out $(OUT)/cert_ablation_hard

## cert-weekly: one row per user-week (positives about 1%), 500 generated users; about 2 minutes
cert-weekly: build
	$(BIN)/vigil run experiments/configs/cert_weekly.yaml --out $(OUT)/cert_weekly

## cert-r42: the ablation on the real CERT r4.2 (CERT=path to the release folder)
cert-r42: build
	$(BIN)/vigil run experiments/configs/cert_r42.yaml --set data.dir=$(CERT) --out $(OUT)/cert_r42

## miner-quickstart: crypto-miner detection on generated process events (80 programs); seconds
miner-quickstart: build
	$(BIN)/vigil run experiments/configs/miner_quickstart.yaml --out $(OUT)/miner_quickstart

## miner: the miner comparison on 200 programs over 3 hours (about 5,000 windows)
miner: build
	$(BIN)/vigil run experiments/configs/miner_quickstart.yaml --set name=miner --set data.programs=200 \
	  --set data.duration=3h --out $(OUT)/miner

## sea-fast: all 50 SEA users on a CPU in about 15 minutes (needs the real data in $(SEA))
sea-fast: build
	$(BIN)/vigil run experiments/configs/sea_fast.yaml --set data.path=$(SEA) --out $(OUT)/sea_fast

## sea-swept: sea_fast with the SEA sweep's best settings, all 50 users (needs $(SEA); about 10 minutes)
sea-swept: build
	$(BIN)/vigil run experiments/configs/sea_swept.yaml --set data.path=$(SEA) --out $(OUT)/sea_swept

## hids-adfa: the syscall LSTM and STIDE on ADFA-LD (needs the real data in $(ADFA); minutes on a CPU)
hids-adfa: build
	$(BIN)/vigil run experiments/configs/hids_adfa.yaml --set data.path=$(ADFA) --out $(OUT)/hids_adfa

## hids-lidds: the syscall LSTM on the LID-DS 2021 sample recording (format, metrics and latency check)
hids-lidds: build
	$(BIN)/vigil run experiments/configs/hids_lidds.yaml --set data.path=$(LIDDS) --set data.train_before_exploit=true --out $(OUT)/hids_lidds

## sweep-quickstart: a TPE sweep of the VAE-GAN on synthetic traces (a few minutes on 2 cores)
sweep-quickstart: build
	$(BIN)/vigil sweep experiments/sweeps/quickstart.yaml --out $(OUT)/quickstart_sweep

## sea-sweep: the ConvVAE sweep on 10 SEA users (needs $(SEA); about an hour on 2 cores)
sea-sweep: build
	$(BIN)/vigil sweep experiments/sweeps/sea.yaml --set data.path=$(SEA) --out $(OUT)/sea_sweep

## hids-adfa-sweep: a small sweep of the syscall LSTM on ADFA-LD (needs $(ADFA); about half an hour)
hids-adfa-sweep: build
	$(BIN)/vigil sweep experiments/sweeps/hids_adfa.yaml --set data.path=$(ADFA) --out $(OUT)/hids_adfa_sweep

## vaegan-adfa: the LSTM VAE-GAN and STIDE on ADFA-LD with the LSTM's split (needs $(ADFA); minutes on a CPU)
vaegan-adfa: build
	$(BIN)/vigil run experiments/configs/vaegan_adfa.yaml --set data.path=$(ADFA) --out $(OUT)/vaegan_adfa

## ipinsights: IP Insights on 1,000 generated users, model vs the IP and /24 tables (seconds)
ipinsights: build
	$(BIN)/vigil run ipinsights_quickstart --out $(OUT)/ipinsights_quickstart

## ipinsights-synthetic: IP Insights at the example notebook's scale, 10,000 users (tens of minutes)
ipinsights-synthetic: build
	$(BIN)/vigil run ipinsights_synthetic --out $(OUT)/ipinsights_synthetic

## ipinsights-sshd: IP Insights on an OpenSSH log (a smoke run on real lines; $(SSHD))
ipinsights-sshd: build
	$(BIN)/vigil run experiments/configs/ipinsights_sshd.yaml --set data.path=$(SSHD) --out $(OUT)/ipinsights_sshd

## sea-convvae: the seed's full-size model (hours on a CPU)
sea-convvae: build
	$(BIN)/vigil run experiments/configs/sea_convvae.yaml --set data.path=$(SEA) --out $(OUT)/sea_convvae

clean:
	rm -rf $(BIN) $(OUT)

## GPU build chain (see README, "GPU"). No GPU is needed to build.
# cuda-deps unpacks CUDA 11.8 headers, the libcuda link stub and nvcc from Debian's
# non-free archive into $(CUDA_CACHE). To use another toolkit instead, set CUDA_INCLUDE,
# CUDA_STUBS and NVCC, and CUDA_DEPS= (empty).
CUDA_CACHE   ?= $(CURDIR)/.cache/cuda
CUDA_ROOT    ?= $(CUDA_CACHE)/root
CUDA_INCLUDE ?= $(CUDA_ROOT)/usr/include
CUDA_STUBS   ?= $(CUDA_ROOT)/usr/lib/x86_64-linux-gnu/stubs
NVCC         ?= $(CUDA_ROOT)/usr/lib/nvidia-cuda-toolkit/bin/nvcc
CUDA_DEPS    ?= cuda-deps
# Debian's nvcc 11.8 wants gcc <= 11; the host compiler only preprocesses device code here.
NVCC_FLAGS   ?= -allow-unsupported-compiler -O3
# SASS for Pascal, Volta, Ampere, Hopper (a GPU runs the SASS of its major generation: sm_75
# the sm_70 code, sm_86/sm_89 the sm_80 code) and compute_70 PTX, which the driver JIT-compiles
# for generations after Hopper.
CUDA_GENCODE := -gencode arch=compute_60,code=sm_60 \
                -gencode arch=compute_70,code=[sm_70,compute_70] \
                -gencode arch=compute_80,code=sm_80 \
                -gencode arch=compute_90,code=sm_90
KERNELS_DIR    := cuda/kernels
KERNELS_FATBIN ?= $(KERNELS_DIR)/kernels.fatbin
GPU_ENV := CGO_ENABLED=1 CGO_CFLAGS="-I$(CUDA_INCLUDE)" CGO_LDFLAGS="-L$(CUDA_STUBS)"

## cuda-deps: CUDA headers, link stubs and nvcc into .cache/cuda (downloads about 860 MB once)
cuda-deps:
	@CUDA_CACHE=$(CUDA_CACHE) bash scripts/cuda-deps.sh

## kernels: compile every cuda/kernels/*.cu into one fatbin (one module; the .cu files are
## compiled as a single translation unit, so extern "C" kernel names must be unique)
kernels: $(CUDA_DEPS)
	@srcs=$$(cd $(KERNELS_DIR) && ls *.cu 2>/dev/null | LC_ALL=C sort); \
	if [ -z "$$srcs" ]; then echo "kernels: no .cu files in $(KERNELS_DIR)" >&2; exit 1; fi; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for f in $$srcs; do echo "#include \"$$f\""; done >"$$tmp/kernels.cu"; \
	echo "nvcc -fatbin $$(echo $$srcs) -> $(KERNELS_FATBIN)"; \
	"$(NVCC)" $(NVCC_FLAGS) $(CUDA_GENCODE) -I$(KERNELS_DIR) -fatbin -o "$$tmp/kernels.fatbin" "$$tmp/kernels.cu" && \
	mv "$$tmp/kernels.fatbin" $(KERNELS_FATBIN)

## kernels-check: compile the kernels to a temporary fatbin (the committed one is left alone)
kernels-check:
	@tmp=$$(mktemp); trap 'rm -f "$$tmp"' EXIT; $(MAKE) --no-print-directory kernels KERNELS_FATBIN="$$tmp"

## cuda: bin/vigil-cuda, the GPU build (-tags gpu; links against libcuda.so.1 of the driver)
cuda: $(CUDA_DEPS)
	$(GPU_ENV) $(GO) build -tags gpu -buildvcs=auto -o $(BIN)/vigil-cuda ./cmd/vigil-cuda

## vet-gpu: vet every package with -tags gpu, and compile the kernels if there are any
vet-gpu: $(CUDA_DEPS)
	$(GPU_ENV) $(GO) vet -tags gpu ./...
	@if ls $(KERNELS_DIR)/*.cu >/dev/null 2>&1; then $(MAKE) --no-print-directory kernels-check CUDA_DEPS=; \
	else echo "vet-gpu: no .cu files in $(KERNELS_DIR)"; fi

## gpu-check-build: everything a GPU machine without Go needs to check the GPU path, packed
## into bin/gpu-check.txz (xz -9, whose 64 MiB window finds the code the binaries share: a tenth of their size): vigil,
## vigil-cuda and the gpu-tagged test binaries (stripped); run them there with
## scripts/gpu-check.sh, which unpacks it
gpu-check-build: $(CUDA_DEPS)
	rm -rf $(BIN)/gpu && mkdir -p $(BIN)/gpu
	$(GO) build -buildvcs=auto -ldflags=-s -o $(BIN)/gpu/vigil ./cmd/vigil
	$(GPU_ENV) $(GO) build -tags gpu -buildvcs=auto -ldflags=-s -o $(BIN)/gpu/vigil-cuda ./cmd/vigil-cuda
	for p in cuda/device cuda/exec cuda/selftest models/convvae models/lstm models/vaegan models/linear experiments cmd/internal/cli; do \
		$(GPU_ENV) $(GO) test -c -tags gpu -ldflags=-s -o $(BIN)/gpu/$$(basename $$p).test ./$$p || exit 1; \
	done
	tar cf - -C $(BIN) gpu | xz -9 >$(BIN)/gpu-check.txz
	@ls -l $(BIN)/gpu-check.txz

include cuda/emu/emu.mk
