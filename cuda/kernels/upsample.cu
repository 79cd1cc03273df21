// Nearest-neighbour 2-D upsampling (gorgonia's Upsample2D) and its gradient.
//
//   upsample2d_f32(float* y, const float* x, int nc, int h, int w, int sh,
//                  int sw)
//     x is [nc, h, w] (an [N, C, H, W] tensor with nc = N*C), y is
//     [nc, h*sh, w*sw]: y[q, yy, xx] = x[q, yy / sh, xx / sw]. gorgonia's
//     Upsample2D with stride s is sh = sw = s + 1.
//
//   upsample2d_grad_f32(float* dx, const float* dy, int nc, int h, int w,
//                       int sh, int sw)
//     dx[q, i, j] = sum over 0 <= a < sh, 0 <= b < sw of
//     dy[q, i*sh + a, j*sw + b]. dx is overwritten.
//
// Any launch configuration.
#include "common.cuh"

extern "C" __global__ void upsample2d_f32(float* y, const float* x, int nc, int h,
                                          int w, int sh, int sw) {
    const int H = h * sh, W = w * sw;
    const int total = nc * H * W;
    VG_LOOP(i, total) {
        const int xx = i % W;
        const int r = i / W;
        const int yy = r % H, q = r / H;
        y[i] = x[((size_t)q * h + yy / sh) * w + xx / sw];
    }
}

extern "C" __global__ void upsample2d_grad_f32(float* dx, const float* dy, int nc,
                                               int h, int w, int sh, int sw) {
    const int H = h * sh, W = w * sw;
    const int total = nc * h * w;
    VG_LOOP(i, total) {
        const int j = i % w;
        const int r = i / w;
        const int ii = r % h, q = r / h;
        const float* p = dy + ((size_t)q * H + ii * sh) * W + j * sw;
        float acc = 0.0f;
        for (int a = 0; a < sh; a++)
            for (int b = 0; b < sw; b++) acc += p[(size_t)a * W + b];
        dx[i] = acc;
    }
}
