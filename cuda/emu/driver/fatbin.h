// Parser of the module images that cuModuleLoadData accepts: a fatbin, a bare
// cubin (ELF) or NUL-terminated PTX text. It picks the image the driver would
// use on a device of a given compute capability and lists its kernels with
// what a launch must be checked against. The byte layouts, found with nvcc,
// ptxas and cuobjdump 11.8, are documented in fatbin.cc.
#ifndef VGEMU_FATBIN_H
#define VGEMU_FATBIN_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vgemu {

struct KernelInfo {
    std::string name;  // the symbol: the name for extern "C", else mangled
    // Parameter i (by ordinal) lives at param_offsets[i] in the parameter
    // block and takes param_sizes[i] bytes; param_bytes is the block's size.
    std::vector<uint32_t> param_offsets, param_sizes;
    uint32_t param_bytes = 0;
    // Static shared memory: the cubin's .nv.shared.<name> (for sm_90, ptxas
    // 11.8 counts 1 KiB more when the kernel uses any); for PTX, the sum of
    // the .shared variables the kernel uses, aligned (ptxas may pad more).
    uint32_t static_shared_bytes = 0;
    // Largest block (threads): __launch_bounds__ / .maxntid / .reqntid, else
    // 1024. max_ntid and req_ntid are the x, y, z bounds as given (0: none);
    // with req_ntid set, a launch must use exactly that block shape.
    uint32_t max_threads = 1024;
    uint32_t max_ntid[3] = {0, 0, 0};
    uint32_t req_ntid[3] = {0, 0, 0};
    uint32_t registers = 0;  // per thread; 0 when unknown (PTX, before JIT)
};

// What went wrong, mapped by the driver onto a CUresult.
enum class ImageError {
    none,
    invalid_image,      // CUDA_ERROR_INVALID_IMAGE: malformed container / ELF
    no_binary_for_gpu,  // CUDA_ERROR_NO_BINARY_FOR_GPU: nothing usable
    invalid_ptx,        // CUDA_ERROR_INVALID_PTX: PTX text we cannot read
    unsupported,        // CUDA_ERROR_INVALID_IMAGE: e.g. unknown compression
};

struct ModuleImage {
    int sm_major = 0, sm_minor = 0;  // arch of the chosen image
    bool from_ptx = false;           // chosen image is PTX (JIT compiled)
    size_t image_bytes = 0;          // bytes of the input the image spans
    std::vector<KernelInfo> kernels;
    ImageError error = ImageError::none;  // set when parsing fails

    const KernelInfo* find(std::string_view name) const {
        for (const KernelInfo& k : kernels)
            if (k.name == name) return &k;
        return nullptr;
    }
};

// parse_module_image reads the image at data: a fatbin (magic 0xBA55ED50),
// a cubin (ELF64, EM_CUDA) or PTX text. max_len bounds every read (0: not
// known, as for cuModuleLoadData; the fatbin header, the ELF's tables or the
// NUL then bound it). It chooses, for a device of compute capability
// major.minor, SASS of the same major with the highest minor <= the device's,
// else the PTX of the highest virtual arch <= the device's (kernels from its
// .entry directives). On failure it returns false and sets *err to what is
// wrong and at which byte offset, and out->error.
bool parse_module_image(const void* data, size_t max_len, int major, int minor, ModuleImage* out,
                        std::string* err);

}  // namespace vgemu

#endif  // VGEMU_FATBIN_H
