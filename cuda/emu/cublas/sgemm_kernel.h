// The cache-blocked SGEMM shared by the instruction-set variants
// (sgemm_generic.cc, sgemm_avx2.cc, sgemm_avx512.cc). Each includes this
// file once, after defining in an anonymous namespace:
//   MR, NR          micro-tile (rows x columns of C), MR a multiple of the
//                   vector width
//   MC, KC, NC      cache blocks (MC a multiple of MR, NC of NR)
//   fmadd(a, b, c)  a*b + c as the micro-kernel computes it (fused or not)
//   micro(kc, a, b, c, ldc, alpha, beta, mode)
//                   the MR x NR tile of the packed slivers a (MR per k) and
//                   b (NR per k) summed over kc, written to c per mode:
//                   MODE_SET c = alpha*acc, MODE_SCALE c = beta*c +
//                   alpha*acc, MODE_ADD c = c + alpha*acc (later k blocks)
// and VG_KERNEL_SYMBOL / VG_KERNEL_NAME naming the vg_sgemm_kernel it
// defines. Everything else here has internal linkage, so that no code
// compiled for one instruction set is shared with another translation unit.
//
// Loop order (Goto/BLIS): for each KC block of k, pack the MC x KC block of
// op(A) and the KC x NC block of op(B) into MR-row and NR-column slivers
// (zero-padded at the edges), then for each B sliver (kept in L1) run the
// micro-kernel over the A slivers (kept in L2). Each element of C sums its
// k terms in one fixed order: ascending k within a KC block in one float
// accumulator, the blocks added to C in ascending order.

namespace {

enum { MODE_SET = 0, MODE_SCALE = 1, MODE_ADD = 2 };

inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

// pack_a copies op(A)(i0 : i0+mc, p0 : p0+kc) into MR-row slivers, each
// kc columns of MR contiguous floats (rows past mc are zero).
void pack_a(int trans, const float* A, int64_t lda, int64_t i0, int64_t p0,
            int64_t mc, int64_t kc, float* dst) {
  for (int64_t is = 0; is < mc; is += MR, dst += MR * kc) {
    const int64_t mr = min64(MR, mc - is);
    if (!trans) {  // op(A)(i, p) = A[i + p*lda]: rows contiguous
      const float* src = A + (i0 + is) + p0 * lda;
      for (int64_t p = 0; p < kc; ++p, src += lda) {
        float* d = dst + p * MR;
        if (mr == MR) {
          for (int r = 0; r < MR; ++r) d[r] = src[r];
        } else {
          for (int r = 0; r < MR; ++r) d[r] = r < mr ? src[r] : 0.0f;
        }
      }
    } else {  // op(A)(i, p) = A[p + i*lda]: one row of op(A) per column of A
      const float* rows[MR];
      for (int r = 0; r < MR; ++r) rows[r] = A + p0 + (i0 + is + (r < mr ? r : 0)) * lda;
      for (int64_t p = 0; p < kc; ++p) {
        float* d = dst + p * MR;
        for (int r = 0; r < MR; ++r) d[r] = r < mr ? rows[r][p] : 0.0f;
      }
    }
  }
}

// pack_b copies op(B)(p0 : p0+kc, j0 : j0+nc) into NR-column slivers, each
// kc rows of NR contiguous floats (columns past nc are zero).
void pack_b(int trans, const float* B, int64_t ldb, int64_t p0, int64_t j0,
            int64_t kc, int64_t nc, float* dst) {
  for (int64_t js = 0; js < nc; js += NR, dst += NR * kc) {
    const int64_t nr = min64(NR, nc - js);
    if (!trans) {  // op(B)(p, j) = B[p + j*ldb]: one column per stream
      const float* cols[NR];
      for (int c = 0; c < NR; ++c) cols[c] = B + p0 + (j0 + js + (c < nr ? c : 0)) * ldb;
      for (int64_t p = 0; p < kc; ++p) {
        float* d = dst + p * NR;
        for (int c = 0; c < NR; ++c) d[c] = c < nr ? cols[c][p] : 0.0f;
      }
    } else {  // op(B)(p, j) = B[j + p*ldb]: rows of op(B) contiguous
      const float* src = B + (j0 + js) + p0 * ldb;
      for (int64_t p = 0; p < kc; ++p, src += ldb) {
        float* d = dst + p * NR;
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
// entry b; alpha != 0 and k > 0 (vg_sgemm handles the rest).
void block(const vg_sgemm_args& p, int64_t b, int64_t ic, int64_t jc,
           float* bufA, float* bufB) {
  const float* A = p.A + b * p.strideA;
  const float* B = p.B + b * p.strideB;
  float* C = p.C + b * p.strideC;
  const int64_t mc = min64(MC, p.m - ic), nc = min64(NC, p.n - jc);
  alignas(64) float tile[MR * NR];
  for (int64_t pc = 0; pc < p.k; pc += KC) {
    const int64_t kc = min64(KC, p.k - pc);
    pack_a(p.transa, A, p.lda, ic, pc, mc, kc, bufA);
    pack_b(p.transb, B, p.ldb, pc, jc, kc, nc, bufB);
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

}  // namespace

extern const vg_sgemm_kernel VG_KERNEL_SYMBOL = {VG_KERNEL_NAME, MR, NR, MC, KC, NC, block};
