// Elementwise unary functions and their gradients.
//
// Forward, for every op below:
//   extern "C" __global__ void OP_f32(float* y, const float* x, int n)
//   y[i] = f(x[i]) for 0 <= i < n; y may alias x.
//
//   relu      max(x, 0)
//   sigmoid   1 / (1 + exp(-x))
//   tanh      tanh(x)
//   exp       exp(x)
//   log       log(x)                (NaN for x < 0, -inf at 0)
//   log1p     log(1 + x)
//   neg       -x
//   square    x * x
//   sqrt      sqrt(x)
//   abs       |x|
//   softplus  log(1 + exp(x)), computed as max(x,0) + log1p(exp(-|x|))
//   inv       1 / x
//   sign      -1 for x < 0, 1 for x > 0, else x itself (±0, NaN)
//   ceil      ceil(x)
//   floor     floor(x)
//   sin       sin(x)
//   cos       cos(x)
//   log2      log2(x)
//   inv_sqrt  1 / sqrt(x)
//   cube      x * x * x
//   expm1     exp(x) - 1
//
// Gradient, for every op:
//   extern "C" __global__ void OP_grad_f32(float* dx, const float* x,
//       const float* y, const float* dy, int n)
//   dx[i] = dy[i] * f'(x[i]), where y = f(x) is the forward output. Each
//   kernel reads only what it needs (listed below); the other pointer may
//   be NULL. dx may alias dy.
//
//   relu      reads x: dy where x > 0, else 0 (0 at x = 0)
//   sigmoid   reads y: dy * y * (1 - y)
//   tanh      reads y: dy * (1 - y*y)
//   exp       reads y: dy * y
//   log       reads x: dy / x
//   log1p     reads x: dy / (1 + x)
//   neg       reads neither: -dy
//   square    reads x: 2 * x * dy
//   sqrt      reads y: dy * 0.5 / y
//   abs       reads x: dy * sign(x) (0 at x = 0)
//   softplus  reads x: dy * sigmoid(x)
//   inv       reads y: -dy * y * y
//   sign      reads neither: 0
//   ceil      reads neither: 0
//   floor     reads neither: 0
//   sin       reads x: dy * cos(x)
//   cos       reads x: -dy * sin(x)
//   log2      reads x: dy / (x * ln 2)
//   inv_sqrt  reads y: -0.5 * dy * y*y*y
//   cube      reads x: 3 * x*x * dy
//   expm1     reads y: dy * (y + 1)
#include "common.cuh"

__device__ __forceinline__ float un_sign(float v) {
    return v > 0.0f ? 1.0f : (v < 0.0f ? -1.0f : v);
}

#define UN_FWD(name, expr)                                                  \
    extern "C" __global__ void name##_f32(float* y, const float* x, int n) { \
        VG_LOOP(i, n) {                                                     \
            const float v = x[i];                                           \
            y[i] = (expr);                                                  \
        }                                                                   \
    }

// In the gradient expressions UN_X(i) and UN_Y(i) read x[i] and y[i] and g is dy[i].
#define UN_GRAD(name, expr)                                                 \
    extern "C" __global__ void name##_grad_f32(float* dx, const float* x,  \
                                               const float* y,              \
                                               const float* dy, int n) {    \
        VG_LOOP(i, n) {                                                     \
            const float g = dy[i];                                          \
            dx[i] = (expr);                                                 \
        }                                                                   \
    }
#define UN_X(i) x[i]
#define UN_Y(i) y[i]

UN_FWD(relu, v > 0.0f ? v : 0.0f)
UN_FWD(sigmoid, vg_sigmoid(v))
UN_FWD(tanh, tanhf(v))
UN_FWD(exp, expf(v))
UN_FWD(log, logf(v))
UN_FWD(log1p, log1pf(v))
UN_FWD(neg, -v)
UN_FWD(square, v * v)
UN_FWD(sqrt, sqrtf(v))
UN_FWD(abs, fabsf(v))
UN_FWD(softplus, vg_softplus(v))
UN_FWD(inv, 1.0f / v)
UN_FWD(sign, un_sign(v))
UN_FWD(ceil, ceilf(v))
UN_FWD(floor, floorf(v))
UN_FWD(sin, sinf(v))
UN_FWD(cos, cosf(v))
UN_FWD(log2, log2f(v))
UN_FWD(inv_sqrt, rsqrtf(v))
UN_FWD(cube, v * v * v)
UN_FWD(expm1, expm1f(v))

UN_GRAD(relu, UN_X(i) > 0.0f ? g : 0.0f)
UN_GRAD(sigmoid, g * UN_Y(i) * (1.0f - UN_Y(i)))
UN_GRAD(tanh, g * (1.0f - UN_Y(i) * UN_Y(i)))
UN_GRAD(exp, g * UN_Y(i))
UN_GRAD(log, g / UN_X(i))
UN_GRAD(log1p, g / (1.0f + UN_X(i)))
UN_GRAD(neg, -g)
UN_GRAD(square, 2.0f * UN_X(i) * g)
UN_GRAD(sqrt, g * 0.5f / UN_Y(i))
UN_GRAD(abs, UN_X(i) > 0.0f ? g : (UN_X(i) < 0.0f ? -g : 0.0f))
UN_GRAD(softplus, g * vg_sigmoid(UN_X(i)))
UN_GRAD(inv, -g * UN_Y(i) * UN_Y(i))
UN_GRAD(sin, g * cosf(UN_X(i)))
UN_GRAD(cos, -g * sinf(UN_X(i)))
UN_GRAD(log2, g / (UN_X(i) * 0.693147180559945309f))
UN_GRAD(inv_sqrt, -0.5f * g * UN_Y(i) * UN_Y(i) * UN_Y(i))
UN_GRAD(cube, 3.0f * UN_X(i) * UN_X(i) * g)
UN_GRAD(expm1, g * (UN_Y(i) + 1.0f))

// sign, ceil, floor: the derivative is 0 (almost everywhere).
#define UN_ZERO_GRAD(name)                                                  \
    extern "C" __global__ void name##_grad_f32(float* dx, const float* x,  \
                                               const float* y,              \
                                               const float* dy, int n) {    \
        VG_LOOP(i, n) dx[i] = 0.0f;                                         \
    }
UN_ZERO_GRAD(sign)
UN_ZERO_GRAD(ceil)
UN_ZERO_GRAD(floor)
#undef UN_ZERO_GRAD

#undef UN_X
#undef UN_Y
#undef UN_FWD
#undef UN_GRAD
