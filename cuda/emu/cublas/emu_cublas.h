// The part of the cuBLAS v2 C API that the emulated libcublas.so.13
// implements, declared with cuBLAS's exact types and signatures (as in
// cublas_api.h of cuBLAS 12/13: the enums are C enums, so int-sized, and
// cudaStream_t is the driver's CUstream, a pointer to struct CUstream_st).
#ifndef VG_EMU_CUBLAS_H
#define VG_EMU_CUBLAS_H

#include <cuda.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CUBLAS_VER_MAJOR 13
#define CUBLAS_VER_MINOR 0
#define CUBLAS_VER_PATCH 0
#define CUBLAS_VERSION (CUBLAS_VER_MAJOR * 10000 + CUBLAS_VER_MINOR * 100 + CUBLAS_VER_PATCH)

typedef enum {
  CUBLAS_STATUS_SUCCESS = 0,
  CUBLAS_STATUS_NOT_INITIALIZED = 1,
  CUBLAS_STATUS_ALLOC_FAILED = 3,
  CUBLAS_STATUS_INVALID_VALUE = 7,
  CUBLAS_STATUS_ARCH_MISMATCH = 8,
  CUBLAS_STATUS_MAPPING_ERROR = 11,
  CUBLAS_STATUS_EXECUTION_FAILED = 13,
  CUBLAS_STATUS_INTERNAL_ERROR = 14,
  CUBLAS_STATUS_NOT_SUPPORTED = 15,
  CUBLAS_STATUS_LICENSE_ERROR = 16
} cublasStatus_t;

typedef enum {
  CUBLAS_OP_N = 0,
  CUBLAS_OP_T = 1,
  CUBLAS_OP_C = 2,
  CUBLAS_OP_HERMITAN = 2, /* synonym of CUBLAS_OP_C */
  CUBLAS_OP_CONJG = 3     /* placeholder, not supported by cuBLAS */
} cublasOperation_t;

typedef enum {
  CUBLAS_DEFAULT_MATH = 0,
  CUBLAS_TENSOR_OP_MATH = 1, /* deprecated */
  CUBLAS_PEDANTIC_MATH = 2,
  CUBLAS_TF32_TENSOR_OP_MATH = 3,
  CUBLAS_FP32_EMULATED_BF16X9_MATH = 4,
  CUBLAS_FP64_EMULATED_FIXEDPOINT_MATH = 8,
  CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION = 16
} cublasMath_t;

struct cublasContext;
typedef struct cublasContext* cublasHandle_t;
typedef CUstream cudaStream_t;

#define VG_CUBLAS_API __attribute__((visibility("default")))

VG_CUBLAS_API cublasStatus_t cublasCreate_v2(cublasHandle_t* handle);
VG_CUBLAS_API cublasStatus_t cublasDestroy_v2(cublasHandle_t handle);
VG_CUBLAS_API cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int* version);
VG_CUBLAS_API cublasStatus_t cublasSetWorkspace_v2(cublasHandle_t handle, void* workspace,
                                                   size_t workspaceSizeInBytes);
VG_CUBLAS_API cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId);
VG_CUBLAS_API cublasStatus_t cublasGetStream_v2(cublasHandle_t handle, cudaStream_t* streamId);
VG_CUBLAS_API cublasStatus_t cublasGetMathMode(cublasHandle_t handle, cublasMath_t* mode);
VG_CUBLAS_API cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode);
VG_CUBLAS_API const char* cublasGetStatusName(cublasStatus_t status);
VG_CUBLAS_API const char* cublasGetStatusString(cublasStatus_t status);
VG_CUBLAS_API cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa,
                                            cublasOperation_t transb, int m, int n, int k,
                                            const float* alpha, const float* A, int lda,
                                            const float* B, int ldb, const float* beta, float* C,
                                            int ldc);
VG_CUBLAS_API cublasStatus_t cublasSgemmStridedBatched(
    cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k,
    const float* alpha, const float* A, int lda, long long int strideA, const float* B, int ldb,
    long long int strideB, const float* beta, float* C, int ldc, long long int strideC,
    int batchCount);

#ifdef __cplusplus
}
#endif

#endif  // VG_EMU_CUBLAS_H
