// Kernels of fatbin_test_kernels.fatbin, the compressed fatbin that
// fatbin_test.cc reads. Rebuild it from this folder with
//
//   nvcc -fatbin -allow-unsupported-compiler -Xfatbin -compress-all \
//     -gencode arch=compute_70,code=[sm_70,compute_70] \
//     -gencode arch=compute_80,code=sm_86 \
//     -o fatbin_test_kernels.fatbin fatbin_test_kernels.cu
//
// and update the expectations in fatbin_test.cc.

// Parameters of sizes 8, 8, 4, 8, 1, 2; 77 floats (308 bytes) of shared memory.
extern "C" __global__ void k1(float* y, const float* x, int n, double a, char c, short s) {
    __shared__ float buf[77];
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    buf[threadIdx.x % 77] = x[i];
    __syncthreads();
    if (i < n) y[i] = buf[(threadIdx.x + 1) % 77] * a + c + s;
}

// A 32-byte struct parameter (alignment 8) and at most 256 threads.
struct S { double d[3]; int k; };
extern "C" __global__ void __launch_bounds__(256) k2(S s, float* y) {
    y[threadIdx.x] = s.d[threadIdx.x % 3] + s.k;
}

// No parameters.
extern "C" __global__ void k3() {}
