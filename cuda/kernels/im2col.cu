// im2col and col2im for 2-D convolutions (the GEMM runs in cuBLAS).
//
// Image x: [N, C, H, W]. Kernel KH x KW, stride SH, SW, zero padding PH, PW
// (the same on both sides of an axis), dilation DH, DW (1 for none). The
// output size, computed by the caller, is
//   OH = (H + 2*PH - DH*(KH-1) - 1) / SH + 1,  OW likewise.
// A patch entry (ch, ky, kx) at output position (oy, ox) reads
//   x[e, ch, oy*SH - PH + ky*DH, ox*SW - PW + kx*DW], 0 outside the image.
//
// Two column layouts, with every kernel taking the same parameters
//   (float* out, const float* in, int n, int c, int h, int w, int kh,
//    int kw, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow):
//
//   im2col_f32: col is [N, C*KH*KW, OH*OW] (row (ch*KH + ky)*KW + kx,
//     column oy*OW + ox), so that per image W[OC, C*KH*KW] x col gives
//     [OC, OH*OW], i.e. NCHW output (vigil's own convolution layout).
//
//   im2col_t_f32: col is [N, OH*OW, C*KH*KW] (row oy*OW + ox, column
//     (ch*KH + ky)*KW + kx), the layout of gorgonia's Im2Col
//     ([N, OH, OW, C*KH*KW]).
//
//   col2im_f32 / col2im_t_f32: the adjoints, from col (in) to x (out):
//     x[e, ch, yy, xx] = sum of every col entry that reads that pixel.
//     x is overwritten (not accumulated into). Each image element sums its
//     own contributions (a gather, no atomics): reproducible.
//
// Any launch configuration; one thread per output element.
#include "common.cuh"

// ic_pixel returns the flat index in x of patch entry (ch, ky, kx) at
// output (oy, ox) of image e, or -1 in the padding.
__device__ __forceinline__ int ic_pixel(int e, int ch, int ky, int kx, int oy, int ox,
                                        int c, int h, int w, int sh, int sw, int ph,
                                        int pw, int dh, int dw) {
    const int yy = oy * sh - ph + ky * dh;
    const int xx = ox * sw - pw + kx * dw;
    if (yy < 0 || yy >= h || xx < 0 || xx >= w) return -1;
    return ((e * c + ch) * h + yy) * w + xx;
}

extern "C" __global__ void im2col_f32(float* col, const float* x, int n, int c, int h,
                                      int w, int kh, int kw, int sh, int sw, int ph,
                                      int pw, int dh, int dw, int oh, int ow) {
    const int total = n * c * kh * kw * oh * ow;
    VG_LOOP(i, total) {
        int r = i;
        const int ox = r % ow; r /= ow;
        const int oy = r % oh; r /= oh;
        const int kx = r % kw; r /= kw;
        const int ky = r % kh; r /= kh;
        const int ch = r % c;
        const int e = r / c;
        const int at = ic_pixel(e, ch, ky, kx, oy, ox, c, h, w, sh, sw, ph, pw, dh, dw);
        col[i] = at >= 0 ? x[at] : 0.0f;
    }
}

extern "C" __global__ void im2col_t_f32(float* col, const float* x, int n, int c, int h,
                                        int w, int kh, int kw, int sh, int sw, int ph,
                                        int pw, int dh, int dw, int oh, int ow) {
    const int total = n * oh * ow * c * kh * kw;
    VG_LOOP(i, total) {
        int r = i;
        const int kx = r % kw; r /= kw;
        const int ky = r % kh; r /= kh;
        const int ch = r % c; r /= c;
        const int ox = r % ow; r /= ow;
        const int oy = r % oh;
        const int e = r / oh;
        const int at = ic_pixel(e, ch, ky, kx, oy, ox, c, h, w, sh, sw, ph, pw, dh, dw);
        col[i] = at >= 0 ? x[at] : 0.0f;
    }
}

// ic_sum_image sums, for pixel (e, ch, yy, xx), every col entry reading it.
// colT selects the layout: 0 [N, C*KH*KW, OH*OW], 1 [N, OH*OW, C*KH*KW].
__device__ __forceinline__ float ic_sum_image(const float* col, int colT, int e, int ch,
                                              int yy, int xx, int c, int kh, int kw,
                                              int sh, int sw, int ph, int pw, int dh,
                                              int dw, int oh, int ow) {
    const int ckk = c * kh * kw, ohw = oh * ow;
    const float* base = col + (size_t)e * ckk * ohw;
    float acc = 0.0f;
    for (int ky = 0; ky < kh; ky++) {
        const int ty = yy + ph - ky * dh; // = oy*sh
        if (ty < 0 || ty % sh != 0) continue;
        const int oy = ty / sh;
        if (oy >= oh) continue;
        for (int kx = 0; kx < kw; kx++) {
            const int tx = xx + pw - kx * dw;
            if (tx < 0 || tx % sw != 0) continue;
            const int ox = tx / sw;
            if (ox >= ow) continue;
            const int row = (ch * kh + ky) * kw + kx, pos = oy * ow + ox;
            acc += colT ? base[(size_t)pos * ckk + row] : base[(size_t)row * ohw + pos];
        }
    }
    return acc;
}

extern "C" __global__ void col2im_f32(float* x, const float* col, int n, int c, int h,
                                      int w, int kh, int kw, int sh, int sw, int ph,
                                      int pw, int dh, int dw, int oh, int ow) {
    const int total = n * c * h * w;
    VG_LOOP(i, total) {
        int r = i;
        const int xx = r % w; r /= w;
        const int yy = r % h; r /= h;
        const int ch = r % c;
        const int e = r / c;
        x[i] = ic_sum_image(col, 0, e, ch, yy, xx, c, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
    }
}

extern "C" __global__ void col2im_t_f32(float* x, const float* col, int n, int c, int h,
                                        int w, int kh, int kw, int sh, int sw, int ph,
                                        int pw, int dh, int dw, int oh, int ow) {
    const int total = n * c * h * w;
    VG_LOOP(i, total) {
        int r = i;
        const int xx = r % w; r /= w;
        const int yy = r % h; r /= h;
        const int ch = r % c;
        const int e = r / c;
        x[i] = ic_sum_image(col, 1, e, ch, yy, xx, c, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
    }
}
