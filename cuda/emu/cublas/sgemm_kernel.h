// The cache-blocked SGEMM shared by the instruction-set variants
// (sgemm_generic.cc, sgemm_avx2.cc, sgemm_avx512.cc). A variant includes
// this file inside a namespace of its own within an anonymous namespace,
// after defining there:
//   MR, NR          micro-tile (rows x columns of C), MR a multiple of the
//                   vector width
//   MC, KC, NC      cache blocks (MC a multiple of MR, NC of NR, KC of 8)
//   fmadd(a, b, c)  a*b + c as the micro-kernel computes it (fused or not)
//   micro(kc, a, b, c, ldc, alpha, beta, mode)
//                   the MR x NR tile of the packed slivers a (MR per k) and
//                   b (NR per k) summed over kc, written to c per mode:
//                   MODE_SET c = alpha*acc, MODE_SCALE c = beta*c +
//                   alpha*acc, MODE_ADD c = c + alpha*acc (later k blocks)
//   transpose(src, lds, rows, cols, dst, ldd)
//                   dst[c + r*ldd] = src[r + c*lds] for r < rows, c < cols
//   VG_KERNEL_NAME  the name of the variant
// It defines `kernel`, the variant's vg_sgemm_kernel, which the file
// exports under a global name. Everything else has internal linkage, so
// that no code compiled for one instruction set is shared with another
// translation unit.
//
// Loop order (Goto/BLIS): for each block of at most KC of k (k split into
// equal blocks), pack the MC x kc block of op(A) and the kc x NC block of
// op(B) into MR-row and NR-column slivers (zero-padded at the edges), then
// for each B sliver (kept in L1) run the micro-kernel over the A slivers
// (kept in L2). Each element of C sums its k terms in one fixed order:
// ascending k within a block in one float accumulator, the blocks added to
// C in ascending order; the blocks depend on k alone, so the variants with
// fused multiply-adds (AVX2, AVX-512) agree bit for bit. Operands whose packing would gather across columns
// (op(A) = A^T, op(B) = B) are first transposed block-wise into scratch.

enum { MODE_SET = 0, MODE_SCALE = 1, MODE_ADD = 2 };

inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

// pack_a copies op(A)(i0 : i0+mc, p0 : p0+kc) into MR-row slivers, each
// kc columns of MR contiguous floats (rows past mc are zero). tmp holds
// mc*kc floats.
void pack_a(int trans, const float* A, int64_t lda, int64_t i0, int64_t p0,
            int64_t mc, int64_t kc, float* dst, float* tmp) {
  const float* src0 = A + i0 + p0 * lda;
  if (trans) {  // op(A)(i, p) = A[p + i*lda]: transpose to tmp[i + p*mc]
    transpose(A + p0 + i0 * lda, lda, kc, mc, tmp, mc);
    src0 = tmp, lda = mc;
  }
  // op(A)(i0 + i, p0 + p) = src0[i + p*lda]: MR rows contiguous per p.
  for (int64_t is = 0; is < mc; is += MR, dst += MR * kc) {
    const int64_t mr = min64(MR, mc - is);
    const float* src = src0 + is;
    for (int64_t p = 0; p < kc; ++p, src += lda) {
      float* d = dst + p * MR;
      if (mr == MR) {
        for (int r = 0; r < MR; ++r) d[r] = src[r];
      } else {
        for (int r = 0; r < MR; ++r) d[r] = r < mr ? src[r] : 0.0f;
      }
    }
  }
}

// pack_b copies op(B)(p0 : p0+kc, j0 : j0+nc) into NR-column slivers, each
// kc rows of NR contiguous floats (columns past nc are zero). tmp holds
// kc*nc floats.
void pack_b(int trans, const float* B, int64_t ldb, int64_t p0, int64_t j0,
            int64_t kc, int64_t nc, float* dst, float* tmp) {
  const float* src0 = B + j0 + p0 * ldb;
  if (!trans) {  // op(B)(p, j) = B[p + j*ldb]: transpose to tmp[j + p*nc]
    transpose(B + p0 + j0 * ldb, ldb, kc, nc, tmp, nc);
    src0 = tmp, ldb = nc;
  }
  // op(B)(p0 + p, j0 + j) = src0[j + p*ldb]: NR columns contiguous per p.
  for (int64_t js = 0; js < nc; js += NR, dst += NR * kc) {
    const int64_t nr = min64(NR, nc - js);
    const float* src = src0 + js;
    for (int64_t p = 0; p < kc; ++p, src += ldb) {
      float* d = dst + p * NR;
      if (nr == NR) {
        for (int c = 0; c < NR; ++c) d[c] = src[c];
      } else {
        for (int c = 0; c < NR; ++c) d[c] = c < nr ? src[c] : 0.0f;
      }
    }
  }
}

// merge_edge writes the mr x nr corner of an MR x NR tile t (column-major,
// leading dimension MR, unscaled sums) to c per mode, with the micro-kernel's
// arithmetic, so an edge element rounds as it would inside a full tile.
void merge_edge(const float* t, float* c, int64_t ldc, int64_t mr, int64_t nr,
                float alpha, float beta, int mode) {
  for (int64_t j = 0; j < nr; ++j) {
    float* cj = c + j * ldc;
    const float* tj = t + j * MR;
    for (int64_t i = 0; i < mr; ++i) {
      if (mode == MODE_SET)
        cj[i] = alpha * tj[i];
      else if (mode == MODE_SCALE)
        cj[i] = fmadd(beta, cj[i], alpha * tj[i]);
      else
        cj[i] = fmadd(alpha, tj[i], cj[i]);
    }
  }
}

// block computes rows ic.. and columns jc.. (at most MC x NC) of C of batch
// entry b; alpha != 0 and k > 0 (vg_sgemm handles the rest). buf holds
// MC*KC + KC*NC + KC*max(MC, NC) floats, 64-byte aligned.
void block(const vg_sgemm_args& p, int64_t b, int64_t ic, int64_t jc, float* buf) {
  const float* A = p.A + b * p.strideA;
  const float* B = p.B + b * p.strideB;
  float* C = p.C + b * p.strideC;
  float *bufA = buf, *bufB = buf + MC * KC, *tmp = bufB + KC * NC;
  const int64_t mc = min64(MC, p.m - ic), nc = min64(NC, p.n - jc);
  // k in equal blocks of at most KC (a multiple of 8 but the last).
  const int64_t nkb = (p.k + KC - 1) / KC;
  const int64_t kb = ((p.k + nkb - 1) / nkb + 7) / 8 * 8;
  alignas(64) float tile[MR * NR];
  for (int64_t pc = 0; pc < p.k; pc += kb) {
    const int64_t kc = min64(kb, p.k - pc);
    pack_a(p.transa, A, p.lda, ic, pc, mc, kc, bufA, tmp);
    pack_b(p.transb, B, p.ldb, pc, jc, kc, nc, bufB, tmp);
    const int mode = pc > 0 ? MODE_ADD : (p.beta == 0.0f ? MODE_SET : MODE_SCALE);
    for (int64_t js = 0; js < nc; js += NR) {
      const int64_t nr = min64(NR, nc - js);
      const float* pb = bufB + js * kc;
      for (int64_t is = 0; is < mc; is += MR) {
        const int64_t mr = min64(MR, mc - is);
        const float* pa = bufA + is * kc;
        float* c = C + (ic + is) + (jc + js) * p.ldc;
        if (mr == MR && nr == NR) {
          micro(kc, pa, pb, c, p.ldc, p.alpha, p.beta, mode);
        } else {
          micro(kc, pa, pb, tile, MR, 1.0f, 0.0f, MODE_SET);
          merge_edge(tile, c, p.ldc, mr, nr, p.alpha, p.beta, mode);
        }
      }
    }
  }
}

constexpr vg_sgemm_kernel kernel = {
    VG_KERNEL_NAME, MR, NR, MC, KC, NC, MC * KC + KC * NC + KC * (MC > NC ? MC : NC), block, nullptr};
