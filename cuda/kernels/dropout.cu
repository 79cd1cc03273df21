// Dropout with a mask computed outside (inverted dropout, as Keras and
// PyTorch): the mask holds 0 for a dropped value and 1/keep for a kept one.
//
//   dropout_f32(float* y, const float* x, const float* mask, int n)
//     y[i] = x[i] * mask[i]. The gradient is the same kernel applied to dy
//     (dx = dy * mask). y may alias x.
//
//   dropout_mask_f32(float* mask, const float* u, int n, float keep,
//                    float scale)
//     mask[i] = u[i] < keep ? scale : 0, from uniform samples u in [0, 1);
//     scale is 1/keep rounded to float32 by the caller (so that the mask
//     matches the CPU's bit for bit given the same samples). mask may
//     alias u.
#include "common.cuh"

extern "C" __global__ void dropout_f32(float* y, const float* x, const float* mask, int n) {
    VG_LOOP(i, n) y[i] = x[i] * mask[i];
}

extern "C" __global__ void dropout_mask_f32(float* mask, const float* u, int n,
                                            float keep, float scale) {
    VG_LOOP(i, n) mask[i] = u[i] < keep ? scale : 0.0f;
}
