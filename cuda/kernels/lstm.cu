// The pointwise part of one LSTM step (layers.LSTMOp, LSTMGradOp); the
// matrix products around it are cuBLAS SGEMMs (see cuda/exec).
//
// Rows are b independent sequences of hd hidden units; gates and dz are
// [b, 4hd] with blocks i, f, g, o of hd per row (PyTorch's order); the
// other arrays are [b, hd]. c_prev NULL is the zero initial cell state.
//
//   lstm_cell_f32(float* gates, float* c, float* tc, float* h,
//                 const float* bias, const float* c_prev, int b, int hd)
//     gates holds the pre-activations x*W_ih^T + h_prev*W_hh^T and receives
//     the activations i = sigmoid(z_i + bias_i), f = sigmoid(z_f + bias_f),
//     g = tanh(z_g + bias_g), o = sigmoid(z_o + bias_o) (bias [4hd]); then
//     c = f*c_prev + i*g, tc = tanh(c), h = o*tc.
//
//   lstm_cell_backward_f32(float* dz, float* dc, const float* gates,
//                          const float* c_prev, const float* tc,
//                          const float* dh, const float* dh_rec, int b,
//                          int hd)
//     given the activations, tanh c, the hidden-state gradient dh (plus
//     dh_rec, the recurrent term dz_next*W_hh, unless NULL) and the running
//     cell-state gradient dc, writes the pre-activation gradients
//     dc' = dc + dh*o*(1 - tc^2), dz_i = dc'*g*i(1-i),
//     dz_f = dc'*c_prev*f(1-f) (0 without c_prev), dz_g = dc'*i*(1-g^2),
//     dz_o = dh*tc*o(1-o), and replaces dc by dc'*f, the gradient of c_prev.
//
// Elementwise over b*hd (thread k owns column k % hd of every gate block of
// row k / hd), any launch configuration.
#include "common.cuh"

extern "C" __global__ void lstm_cell_f32(float* gates, float* c, float* tc,
                                         float* h, const float* bias,
                                         const float* c_prev, int b, int hd) {
    const int total = b * hd;
    VG_LOOP(k, total) {
        const int r = k / hd, j = k % hd;
        float* z = gates + (size_t)r * 4 * hd;
        const float i = vg_sigmoid(z[j] + bias[j]);
        const float f = vg_sigmoid(z[hd + j] + bias[hd + j]);
        const float g = tanhf(z[2 * hd + j] + bias[2 * hd + j]);
        const float o = vg_sigmoid(z[3 * hd + j] + bias[3 * hd + j]);
        z[j] = i;
        z[hd + j] = f;
        z[2 * hd + j] = g;
        z[3 * hd + j] = o;
        const float cv = c_prev ? f * c_prev[k] + i * g : i * g;
        const float t = tanhf(cv);
        c[k] = cv;
        tc[k] = t;
        h[k] = o * t;
    }
}

extern "C" __global__ void lstm_cell_backward_f32(float* dz, float* dc,
                                                  const float* gates,
                                                  const float* c_prev,
                                                  const float* tc,
                                                  const float* dh,
                                                  const float* dh_rec, int b,
                                                  int hd) {
    const int total = b * hd;
    VG_LOOP(k, total) {
        const int r = k / hd, j = k % hd;
        const float* z = gates + (size_t)r * 4 * hd;
        float* d = dz + (size_t)r * 4 * hd;
        const float i = z[j], f = z[hd + j], g = z[2 * hd + j], o = z[3 * hd + j];
        const float t = tc[k];
        const float dhv = dh_rec ? dh[k] + dh_rec[k] : dh[k];
        const float dcv = dc[k] + dhv * o * (1.0f - t * t);
        d[j] = dcv * g * i * (1.0f - i);
        d[hd + j] = c_prev ? dcv * c_prev[k] * f * (1.0f - f) : 0.0f;
        d[2 * hd + j] = dcv * i * (1.0f - g * g);
        d[3 * hd + j] = dhv * t * o * (1.0f - o);
        dc[k] = dcv * f;
    }
}
