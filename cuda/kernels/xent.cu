// Softmax cross-entropy with int32 class targets (layers.SoftmaxXentOp,
// SoftmaxXentGradOp, TargetProbOp).
//
// logits and dx are [n, v] row-major; loss, target and dy are [n]. A
// target of -1 (layers.IgnoreTarget) marks a row that counts for nothing:
// loss 0, gradient 0. Any other target outside [0, v) gives NaN (loss and
// whole gradient row), which the trainers' non-finite guard reports.
//
//   softmax_xent_f32(float* loss, const float* logits, const int* target,
//                    int n, int v)
//     loss[r] = m + log(sum_j exp(l[j] - m)) - l[target[r]], with l the
//     row's logits and m their maximum. Block per row.
//
//   softmax_xent_grad_f32(float* dx, const float* logits, const int* target,
//                         const float* dy, int n, int v)
//     dx[r, j] = (exp(l[j] - m) / s - (j == target[r])) * dy[r], s the
//     row's sum of exp(l - m). Block per row; dx must not alias logits.
//
//   target_prob_f32(float* p, const float* loss, int n)
//     p[i] = exp(-loss[i]), the probability of the target. Elementwise.
#include "common.cuh"

#define XE_IGNORE (-1)

// xe_row returns the maximum m of a row of v logits and the sum of
// exp(l - m), to every thread of the block.
__device__ __forceinline__ void xe_row(const float* l, int v, float* m, float* s) {
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < v; j += blockDim.x) mx = vg_max(mx, l[j]);
    mx = vg_block_max(mx);
    float acc = 0.0f;
    for (int j = threadIdx.x; j < v; j += blockDim.x) acc += expf(l[j] - mx);
    *m = mx;
    *s = vg_block_sum(acc);
}

extern "C" __global__ void softmax_xent_f32(float* loss, const float* logits,
                                            const int* target, int n, int v) {
    VG_BLOCK_LOOP(r, n) {
        const int t = target[r];
        if (t == XE_IGNORE) {
            if (threadIdx.x == 0) loss[r] = 0.0f;
            continue;
        }
        const float* l = logits + (size_t)r * v;
        float m, s;
        xe_row(l, v, &m, &s);
        if (threadIdx.x == 0) loss[r] = (t < 0 || t >= v) ? nanf("") : m + logf(s) - l[t];
    }
}

extern "C" __global__ void softmax_xent_grad_f32(float* dx, const float* logits,
                                                 const int* target,
                                                 const float* dy, int n, int v) {
    VG_BLOCK_LOOP(r, n) {
        const int t = target[r];
        float* d = dx + (size_t)r * v;
        if (t == XE_IGNORE) {
            for (int j = threadIdx.x; j < v; j += blockDim.x) d[j] = 0.0f;
            continue;
        }
        const float* l = logits + (size_t)r * v;
        float m, s;
        xe_row(l, v, &m, &s);
        const bool bad = t < 0 || t >= v;
        const float g = dy[r];
        for (int j = threadIdx.x; j < v; j += blockDim.x) {
            const float p = expf(l[j] - m) / s - (j == t ? 1.0f : 0.0f);
            d[j] = bad ? nanf("") : p * g;
        }
    }
}

extern "C" __global__ void target_prob_f32(float* p, const float* loss, int n) {
    VG_LOOP(i, n) p[i] = expf(-loss[i]);
}

#undef XE_IGNORE
