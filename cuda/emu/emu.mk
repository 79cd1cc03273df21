# The emulated NVIDIA driver (see cuda/emu/README.md): bin/emu/lib/libcuda.so.1
# and libcublas.so.13, built from cuda/emu with the CUDA 11.8 headers of
# cuda-deps and g++; the kernels of cuda/kernels are compiled for the host.
EMU_DIR   := cuda/emu
EMU_OUT   := $(BIN)/emu
EMU_LIB   := $(EMU_OUT)/lib
EMU_GEN   := $(EMU_OUT)/gen
EMU_CXX   ?= g++
EMU_CC    ?= gcc
# No FMA contraction and no fast math: the kernels' float arithmetic is
# IEEE as written (the _rn intrinsics of the optimizer exist for that).
EMU_FLAGS := -std=c++20 -O2 -g -fPIC -pthread -Wall -Wno-unused-function -ffp-contract=off -fno-fast-math
# The driver is loaded with the program (not dlopen'ed): its thread-locals,
# read by every emulated CUDA thread, can use the static TLS model.
EMU_DRV_FLAGS := $(EMU_FLAGS) -ftls-model=initial-exec
EMU_INC   := -I$(EMU_DIR)/include -I$(EMU_DIR)/driver -I$(EMU_DIR)/kernels -I$(EMU_GEN) -I$(KERNELS_DIR) -I$(CUDA_INCLUDE)
EMU_DRV_SRC := $(wildcard $(EMU_DIR)/driver/*.cc)
EMU_DRV_OBJ := $(patsubst $(EMU_DIR)/driver/%.cc,$(EMU_OUT)/obj/%.o,$(EMU_DRV_SRC)) $(EMU_OUT)/obj/fiber.o \
               $(EMU_OUT)/obj/kernels.o $(EMU_OUT)/obj/errors.o
EMU_BLAS_SRC := $(wildcard $(EMU_DIR)/cublas/*.cc)
EMU_BLAS_OBJ := $(patsubst $(EMU_DIR)/cublas/%.cc,$(EMU_OUT)/obj/cublas_%.o,$(EMU_BLAS_SRC))
EMU_HDRS    := $(wildcard $(EMU_DIR)/include/*.h $(EMU_DIR)/driver/*.h $(EMU_DIR)/kernels/*.h)
EMU_KSRC    := $(sort $(wildcard $(KERNELS_DIR)/*.cu)) $(KERNELS_DIR)/common.cuh

.PHONY: emu emu-deps
## emu: the emulated driver and cuBLAS (bin/emu/lib), which run the GPU build without a GPU
emu: $(EMU_LIB)/libcuda.so.1 $(EMU_LIB)/libcublas.so.13

# emu-deps installs the C++ compiler and binutils (Debian's g++) where they are missing.
emu-deps:
	@command -v $(EMU_CXX) >/dev/null && command -v objdump >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ binutils)

$(EMU_OUT)/obj/%.o: $(EMU_DIR)/driver/%.cc $(EMU_HDRS) | $(CUDA_DEPS) emu-deps
	@mkdir -p $(@D)
	$(EMU_CXX) $(EMU_DRV_FLAGS) $(EMU_INC) -c -o $@ $<

$(EMU_OUT)/obj/fiber.o: $(EMU_DIR)/driver/fiber_x86_64.S | emu-deps
	@mkdir -p $(@D)
	$(EMU_CC) -c -o $@ $<

$(EMU_OUT)/obj/cublas_%.o: $(EMU_DIR)/cublas/%.cc $(wildcard $(EMU_DIR)/cublas/*.h) $(EMU_HDRS) | $(CUDA_DEPS) emu-deps
	@mkdir -p $(@D)
	$(EMU_CXX) $(EMU_FLAGS) -O3 $(EMU_INC) -c -o $@ $<

# The kernels: every .cu included in name order, compiled once to list the
# kernel symbols, then again with the table of them.
$(EMU_GEN)/kernels_all.inc: $(EMU_KSRC)
	@mkdir -p $(@D)
	@for f in $(sort $(notdir $(wildcard $(KERNELS_DIR)/*.cu))); do echo "#include \"$$f\""; done >$@

$(EMU_GEN)/kernel_names.inc: $(EMU_GEN)/kernels_all.inc $(EMU_DIR)/kernels/kernels.cc $(EMU_HDRS) | $(CUDA_DEPS) emu-deps
	$(EMU_CXX) $(EMU_FLAGS) $(EMU_INC) -DVGEMU_LIST_ONLY -c -o $(EMU_GEN)/kernels_list.o $(EMU_DIR)/kernels/kernels.cc
	@objdump -t $(EMU_GEN)/kernels_list.o | awk '$$4 == "vgemu_kernels" && $$3 == "F" && $$NF !~ /\./ {print "VG_KERNEL(" $$NF ")"}' | sort >$@
	@echo "emu: $$(wc -l <$@) kernels"

$(EMU_OUT)/obj/kernels.o: $(EMU_DIR)/kernels/kernels.cc $(EMU_GEN)/kernel_names.inc $(EMU_GEN)/kernels_all.inc $(EMU_HDRS)
	@mkdir -p $(@D)
	$(EMU_CXX) $(EMU_DRV_FLAGS) $(EMU_INC) -c -o $@ $(EMU_DIR)/kernels/kernels.cc

$(EMU_GEN)/errors.cc: $(EMU_DIR)/build/gen_errors.sh | $(CUDA_DEPS)
	@mkdir -p $(@D)
	bash $< $(CUDA_INCLUDE)/cuda.h $@

$(EMU_OUT)/obj/errors.o: $(EMU_GEN)/errors.cc $(EMU_HDRS)
	$(EMU_CXX) $(EMU_FLAGS) $(EMU_INC) -c -o $@ $<

$(EMU_OUT)/obj/stubs.o: $(EMU_DRV_OBJ) $(EMU_DIR)/build/gen_stubs.sh
	CC=$(EMU_CC) bash $(EMU_DIR)/build/gen_stubs.sh $(CUDA_INCLUDE)/cuda.h $(EMU_GEN)/stubs.c $(EMU_DRV_OBJ)
	$(EMU_CC) -O1 -fPIC -c -o $@ $(EMU_GEN)/stubs.c

$(EMU_LIB)/libcuda.so.1: $(EMU_DRV_OBJ) $(EMU_OUT)/obj/stubs.o $(EMU_DIR)/build/exports.map
	@mkdir -p $(@D)
	$(EMU_CXX) -shared -pthread -Wl,-soname,libcuda.so.1 -Wl,--version-script=$(EMU_DIR)/build/exports.map -Wl,--no-undefined \
		-static-libstdc++ -static-libgcc -o $@ $(EMU_DRV_OBJ) $(EMU_OUT)/obj/stubs.o
	@ln -sf libcuda.so.1 $(EMU_LIB)/libcuda.so

$(EMU_LIB)/libcublas.so.13: $(EMU_BLAS_OBJ) $(EMU_LIB)/libcuda.so.1 $(EMU_DIR)/build/exports.map
	$(EMU_CXX) -shared -pthread -Wl,-soname,libcublas.so.13 -Wl,--version-script=$(EMU_DIR)/build/exports.map -Wl,--no-undefined \
		-static-libstdc++ -static-libgcc -o $@ $(EMU_BLAS_OBJ) -L$(EMU_LIB) -lcuda

# The emulator's own tests: its execution model on test kernels, its driver
# checks on the real module, and the fatbin parser (with sanitizers).
$(EMU_OUT)/emu_test: $(EMU_DIR)/test/emu_test.cc $(filter-out $(EMU_OUT)/obj/kernels.o,$(EMU_DRV_OBJ)) $(EMU_OUT)/obj/kernels.o $(EMU_OUT)/obj/stubs.o
	$(EMU_CXX) $(EMU_FLAGS) $(EMU_INC) -o $@ $^

$(EMU_OUT)/fatbin_test: $(EMU_DIR)/driver/fatbin.cc $(EMU_DIR)/driver/test/fatbin_test.cc $(EMU_DIR)/driver/fatbin.h
	$(EMU_CXX) -std=c++20 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -I$(EMU_DIR)/driver -o $@ \
		$(EMU_DIR)/driver/fatbin.cc $(EMU_DIR)/driver/test/fatbin_test.cc

include $(EMU_DIR)/cublas/Makefile.inc
