// Fused bias + activation and its gradient (the bias gradient included).
//
// Layout: x, y, dy, dz are [N, C, inner] row-major: [N, C, H, W] images
// (inner = H*W) or [N, F] rows (inner = 1); b and db are [C]. act is one
// of 0 linear, 1 relu, 2 sigmoid, 3 tanh (VG_ACT_* in common.cuh).
//
//   bias_act_f32(float* y, const float* x, const float* b,
//                int n, int c, int inner, int act)
//     y[e, ch, k] = act(x[e, ch, k] + b[ch]). Elementwise; y may alias x.
//
//   bias_act_backward_chan_f32(float* dz, float* db, const float* y,
//                              const float* dy, int n, int c, int inner,
//                              int act)
//     dz[e, ch, k] = dy[e, ch, k] * act'(z) through y (see vg_act_grad:
//     relu dy*(y > 0), sigmoid dy*y*(1-y), tanh dy*(1-y*y), linear dy) and
//     db[ch] = sum over e, k of dz[e, ch, k]. Block per channel (blockDim.x
//     a multiple of 32, any grid size). dz may be NULL (only db is
//     written) and may alias dy; y is not read when act is linear.
//     Suited to inner >= 32; for [N, F] use the rows form.
//
//   bias_act_backward_rows_f32(float* dz, float* db, const float* y,
//                              const float* dy, int n, int c, int act)
//     The same for inner = 1 ([N, C]): one thread per column ch, which
//     loops over the n rows (coalesced). Any launch configuration.
//
// Both backward forms overwrite db (they do not accumulate into it) and sum
// in a fixed order, so results are reproducible for a fixed launch.
#include "common.cuh"

extern "C" __global__ void bias_act_f32(float* y, const float* x, const float* b,
                                        int n, int c, int inner, int act) {
    const int total = n * c * inner;
    VG_LOOP(i, total) y[i] = vg_act(act, x[i] + b[(i / inner) % c]);
}

extern "C" __global__ void bias_act_backward_chan_f32(float* dz, float* db,
                                                      const float* y,
                                                      const float* dy, int n,
                                                      int c, int inner, int act) {
    const int per = n * inner;
    VG_BLOCK_LOOP(ch, c) {
        float acc = 0.0f;
        for (int j = threadIdx.x; j < per; j += blockDim.x) {
            const int e = j / inner, k = j - e * inner;
            const int i = (e * c + ch) * inner + k;
            const float g = act == VG_ACT_LINEAR ? dy[i] : vg_act_grad(act, y[i], dy[i]);
            if (dz) dz[i] = g;
            acc += g;
        }
        acc = vg_block_sum(acc);
        if (threadIdx.x == 0) db[ch] = acc;
    }
}

extern "C" __global__ void bias_act_backward_rows_f32(float* dz, float* db,
                                                      const float* y,
                                                      const float* dy, int n,
                                                      int c, int act) {
    VG_LOOP(ch, c) {
        float acc = 0.0f;
        for (int e = 0; e < n; e++) {
            const int i = e * c + ch;
            const float g = act == VG_ACT_LINEAR ? dy[i] : vg_act_grad(act, y[i], dy[i]);
            if (dz) dz[i] = g;
            acc += g;
        }
        db[ch] = acc;
    }
}
