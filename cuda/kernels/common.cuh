// Shared helpers for the vigil kernels. Every .cu file in this folder
// includes this header; the files are also compiled together as a single
// translation unit (see README.md), so helpers live here, once, and file
// local names carry a per-file prefix.
//
// Conventions for every kernel in this folder:
//   - float32 data, row-major (C order) layout; images are NCHW.
//   - parameters: output pointers first, then input pointers, then sizes,
//     then scalars and mode codes. Sizes are int (element counts below
//     2^30); scalars are float unless noted (the optimizer kernels take
//     double hyperparameters).
//   - elementwise kernels use grid-stride loops and accept any launch
//     configuration; an output may alias an input of the same shape
//     (in-place), because element i is read before it is written and by
//     the same thread only.
//   - kernels marked "block per row" (or channel, example) reduce with the
//     whole block: blockDim.x must be a multiple of 32, at most 1024, and
//     blockDim.y = blockDim.z = 1; the grid may have any number of blocks.
//   - integer index vectors are int32.
#ifndef VIGIL_COMMON_CUH
#define VIGIL_COMMON_CUH

// VG_LOOP(i, n) visits i = 0..n-1 once across the whole grid.
#define VG_LOOP(i, n)                                                   \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n);        \
         i += blockDim.x * gridDim.x)

// VG_BLOCK_LOOP(r, rows) visits r = 0..rows-1 once per block (block-wide
// work items: every thread of a block sees the same r sequence).
#define VG_BLOCK_LOOP(r, rows) \
    for (int r = blockIdx.x; r < (rows); r += gridDim.x)

// VG_SHARED(type, name, n) declares a block's __shared__ array of n
// elements. The emulated device (cuda/emu) defines it to check every access
// for races and uninitialised reads.
#ifndef VG_SHARED
#define VG_SHARED(type, name, n) __shared__ type name[n]
#endif

// Activation codes shared by the fused kernels (bias_act.cu).
#define VG_ACT_LINEAR 0
#define VG_ACT_RELU 1
#define VG_ACT_SIGMOID 2
#define VG_ACT_TANH 3

__device__ __forceinline__ float vg_sigmoid(float x) {
    return 1.0f / (1.0f + expf(-x));
}

// softplus(x) = log(1 + exp(x)), stable for any x.
__device__ __forceinline__ float vg_softplus(float x) {
    return fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x)));
}

__device__ __forceinline__ float vg_act(int act, float z) {
    switch (act) {
    case VG_ACT_RELU: return z > 0.0f ? z : 0.0f;
    case VG_ACT_SIGMOID: return vg_sigmoid(z);
    case VG_ACT_TANH: return tanhf(z);
    default: return z;
    }
}

// vg_act_grad returns dy * act'(z) expressed through the output y = act(z):
// relu: dy where y > 0 else 0; sigmoid: dy*y*(1-y); tanh: dy*(1-y*y).
__device__ __forceinline__ float vg_act_grad(int act, float y, float dy) {
    switch (act) {
    case VG_ACT_RELU: return y > 0.0f ? dy : 0.0f;
    case VG_ACT_SIGMOID: return dy * y * (1.0f - y);
    case VG_ACT_TANH: return dy * (1.0f - y * y);
    default: return dy;
    }
}

// vg_max is max(a, b) that propagates NaN (as Go's math.Max; fmaxf
// would drop it).
__device__ __forceinline__ float vg_max(float a, float b) {
    return a != a ? a : (b != b ? b : fmaxf(a, b));
}

__device__ __forceinline__ float vg_warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float vg_warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = vg_max(v, __shfl_down_sync(0xffffffffu, v, o));
    return v;
}

// vg_block_sum returns the sum of v over the block to every thread. All
// threads of the block must call it (blockDim.x a multiple of 32). The
// summation order depends only on blockDim.x, so results are reproducible.
__device__ __forceinline__ float vg_block_sum(float v) {
    VG_SHARED(float, part, 32);
    VG_SHARED(float, total, 1);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = vg_warp_sum(v);
    if (lane == 0) part[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < (int)(blockDim.x >> 5) ? part[lane] : 0.0f;
        v = vg_warp_sum(v);
        if (lane == 0) total[0] = v;
    }
    __syncthreads();
    const float r = total[0];
    __syncthreads(); // part and total may be reused by the next call
    return r;
}

// vg_block_max is vg_block_sum with vg_max (the identity is -INFINITY).
__device__ __forceinline__ float vg_block_max(float v) {
    VG_SHARED(float, part, 32);
    VG_SHARED(float, total, 1);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = vg_warp_max(v);
    if (lane == 0) part[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < (int)(blockDim.x >> 5) ? part[lane] : -INFINITY;
        v = vg_warp_max(v);
        if (lane == 0) total[0] = v;
    }
    __syncthreads();
    const float r = total[0];
    __syncthreads();
    return r;
}

#endif // VIGIL_COMMON_CUH
