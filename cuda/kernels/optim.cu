// Optimizer updates, in place, matching trainers.Adam and trainers.SGD.
//
// As on the CPU, the arithmetic is float64 per value and the stored values
// (parameters, moments, velocities) are float32. The double operations use
// round-to-nearest intrinsics so that no multiply-add is contracted: given
// the same inputs the results equal the CPU's bit for bit where the Go
// compiler does not contract either (amd64; arm64 may fuse). Hyperparameters
// are double.
//
//   adam_f32(float* p, float* m, float* v, const float* g, int n,
//            double lr_t, double b1, double b2, double eps)
//     Keras' Adam at step t (from 1), with lr_t = lr*sqrt(1-b2^t)/(1-b1^t)
//     computed by the caller in float64:
//       m = b1*m + (1-b1)*g
//       v = b2*v + (1-b2)*g*g
//       p = p - lr_t * m / (sqrt(v) + eps)      (eps on the uncorrected v)
//
//   sgd_f32(float* p, const float* g, int n, double lr)
//     p = p - lr*g
//
//   sgd_momentum_f32(float* p, float* u, const float* g, int n, double lr,
//                    double mu, int nesterov)
//     u = mu*u - lr*g
//     p = p + u                 (nesterov = 0)
//     p = p + mu*u - lr*g       (nesterov != 0)
//
//   non_finite_f32(float* flag, const float* x, int n)
//     flag[0] = 1 when some x[i] is NaN or infinite (flag is left alone
//     otherwise: clear it first, then check several tensors into it)
//
// Any launch configuration.
#include "common.cuh"

extern "C" __global__ void adam_f32(float* p, float* m, float* v, const float* g,
                                    int n, double lr_t, double b1, double b2,
                                    double eps) {
    const double c1 = __dsub_rn(1.0, b1), c2 = __dsub_rn(1.0, b2);
    VG_LOOP(i, n) {
        const double gd = (double)g[i];
        const double mj = __dadd_rn(__dmul_rn(b1, (double)m[i]), __dmul_rn(c1, gd));
        const double vj = __dadd_rn(__dmul_rn(b2, (double)v[i]),
                                    __dmul_rn(__dmul_rn(c2, gd), gd));
        m[i] = (float)mj;
        v[i] = (float)vj;
        const double step = __ddiv_rn(__dmul_rn(lr_t, mj), __dadd_rn(__dsqrt_rn(vj), eps));
        p[i] = (float)__dsub_rn((double)p[i], step);
    }
}

extern "C" __global__ void sgd_f32(float* p, const float* g, int n, double lr) {
    VG_LOOP(i, n) p[i] = (float)__dsub_rn((double)p[i], __dmul_rn(lr, (double)g[i]));
}

extern "C" __global__ void sgd_momentum_f32(float* p, float* u, const float* g, int n,
                                            double lr, double mu, int nesterov) {
    VG_LOOP(i, n) {
        const double lg = __dmul_rn(lr, (double)g[i]);
        const double uj = __dsub_rn(__dmul_rn(mu, (double)u[i]), lg);
        u[i] = (float)uj;
        if (nesterov)
            p[i] = (float)__dsub_rn(__dadd_rn((double)p[i], __dmul_rn(mu, uj)), lg);
        else
            p[i] = (float)__dadd_rn((double)p[i], uj);
    }
}

extern "C" __global__ void non_finite_f32(float* flag, const float* x, int n) {
    VG_LOOP(i, n) {
        if (!isfinite(x[i])) flag[0] = 1.0f;
    }
}
