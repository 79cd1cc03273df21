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
//
//   bernoulli_mask_f32(float* mask, int n, unsigned long long key,
//                      unsigned long long threshold, float scale)
//     mask[i] = h(key, i) < threshold ? scale : 0, drawn on the device:
//     h is the SplitMix64 finalizer of key + (i+1)*0x9E3779B97F4A7C15, its
//     upper 32 bits, so each value is a pure function of (key, i) (any
//     launch configuration, identical on the CPU). threshold is
//     round(keep*2^32).
#include "common.cuh"

extern "C" __global__ void dropout_f32(float* y, const float* x, const float* mask, int n) {
    VG_LOOP(i, n) y[i] = x[i] * mask[i];
}

extern "C" __global__ void dropout_mask_f32(float* mask, const float* u, int n,
                                            float keep, float scale) {
    VG_LOOP(i, n) mask[i] = u[i] < keep ? scale : 0.0f;
}

extern "C" __global__ void bernoulli_mask_f32(float* mask, int n, unsigned long long key,
                                              unsigned long long threshold, float scale) {
    VG_LOOP(i, n) {
        unsigned long long x = key + (unsigned long long)(i + 1) * 0x9E3779B97F4A7C15ULL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
        x ^= x >> 31;
        mask[i] = (x >> 32) < threshold ? scale : 0.0f;
    }
}
