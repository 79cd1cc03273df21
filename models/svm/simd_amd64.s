//go:build amd64 && !purego

#include "textflag.h"

// Row kernels for simd.go, 4 lanes of AVX2/FMA: out[r] = Σ_k f(x_k, m_rk)
// over the n rows of the row-major matrix m (d values a row), with
// f = x·m (dots) or (x − m)² (squared distances). Each sum is taken in one
// fixed order whatever the row's position: lane l (k ≡ l mod 4) gathers
// k mod 8 < 4 in accumulator a and k mod 8 ≥ 4 in accumulator b (the last
// d mod 4 values, zero-padded by masked loads, go to b), and the result is
// ((a₀+b₀) + (a₁+b₁)) + ((a₂+b₂) + (a₃+b₃)). Rows go four at a time, the
// rest one at a time, with the same sums.

// tailmask<>+32·r: the first r lanes set, for the last d mod 4 values.
DATA tailmask<>+0(SB)/8, $0
DATA tailmask<>+8(SB)/8, $0
DATA tailmask<>+16(SB)/8, $0
DATA tailmask<>+24(SB)/8, $0
DATA tailmask<>+32(SB)/8, $-1
DATA tailmask<>+40(SB)/8, $0
DATA tailmask<>+48(SB)/8, $0
DATA tailmask<>+56(SB)/8, $0
DATA tailmask<>+64(SB)/8, $-1
DATA tailmask<>+72(SB)/8, $-1
DATA tailmask<>+80(SB)/8, $0
DATA tailmask<>+88(SB)/8, $0
DATA tailmask<>+96(SB)/8, $-1
DATA tailmask<>+104(SB)/8, $-1
DATA tailmask<>+112(SB)/8, $-1
DATA tailmask<>+120(SB)/8, $0
GLOBL tailmask<>(SB), RODATA|NOPTR, $128

// Registers: SI x, DI row 0 of the block, R11-R13 rows 1-3, R9 the row
// stride in bytes, R10 d &^ 7, CX d, DX rows left, R8 out, AX the column,
// Y15 the tail mask; accumulators Y0-Y3 (a, rows 0-3) and Y4-Y7 (b).

// Term accumulation: DOT4/DIST4 add f over x[AX+off : AX+off+4] (in Y8)
// and row ROW to ACC, using T as scratch.
#define DOT4(ROW, off, ACC, T) VFMADD231PD off(ROW)(AX*8), Y8, ACC
#define DIST4(ROW, off, ACC, T) VSUBPD off(ROW)(AX*8), Y8, T; VFMADD231PD T, T, ACC

// Masked tails: x's tail is in Y8, the row's is loaded into T.
#define DOTTAIL(ROW, ACC, T) VMASKMOVPD (ROW)(AX*8), Y15, T; VFMADD231PD T, Y8, ACC
#define DISTTAIL(ROW, ACC, T) VMASKMOVPD (ROW)(AX*8), Y15, T; VSUBPD T, Y8, T; VFMADD231PD T, T, ACC

// ROWKERNEL is the body of a kernel with term macros TERM and TAIL.
#define ROWKERNEL(TERM, TAIL) \
	MOVQ x+0(FP), SI; \
	MOVQ m+8(FP), DI; \
	MOVQ d+16(FP), CX; \
	MOVQ n+24(FP), DX; \
	MOVQ out+32(FP), R8; \
	MOVQ CX, R9; \
	SHLQ $3, R9; \
	MOVQ CX, R10; \
	ANDQ $-8, R10; \
	MOVQ CX, R14; \
	ANDQ $3, R14; \
	SHLQ $5, R14; \
	LEAQ tailmask<>(SB), BX; \
	VMOVDQU (BX)(R14*1), Y15; \
block4: \
	CMPQ DX, $4; \
	JLT  single; \
	LEAQ (DI)(R9*1), R11; \
	LEAQ (R11)(R9*1), R12; \
	LEAQ (R12)(R9*1), R13; \
	VXORPD Y0, Y0, Y0; \
	VXORPD Y1, Y1, Y1; \
	VXORPD Y2, Y2, Y2; \
	VXORPD Y3, Y3, Y3; \
	VXORPD Y4, Y4, Y4; \
	VXORPD Y5, Y5, Y5; \
	VXORPD Y6, Y6, Y6; \
	VXORPD Y7, Y7, Y7; \
	XORQ AX, AX; \
	CMPQ AX, R10; \
	JGE  b4rest; \
b4loop: \
	VMOVUPD (SI)(AX*8), Y8; \
	TERM(DI, 0, Y0, Y10); \
	TERM(R11, 0, Y1, Y11); \
	TERM(R12, 0, Y2, Y12); \
	TERM(R13, 0, Y3, Y13); \
	VMOVUPD 32(SI)(AX*8), Y8; \
	TERM(DI, 32, Y4, Y10); \
	TERM(R11, 32, Y5, Y11); \
	TERM(R12, 32, Y6, Y12); \
	TERM(R13, 32, Y7, Y13); \
	ADDQ $8, AX; \
	CMPQ AX, R10; \
	JLT  b4loop; \
b4rest: \
	TESTQ $4, CX; \
	JZ    b4tail; \
	VMOVUPD (SI)(AX*8), Y8; \
	TERM(DI, 0, Y0, Y10); \
	TERM(R11, 0, Y1, Y11); \
	TERM(R12, 0, Y2, Y12); \
	TERM(R13, 0, Y3, Y13); \
	ADDQ $4, AX; \
b4tail: \
	TESTQ $3, CX; \
	JZ    b4sum; \
	VMASKMOVPD (SI)(AX*8), Y15, Y8; \
	TAIL(DI, Y4, Y10); \
	TAIL(R11, Y5, Y11); \
	TAIL(R12, Y6, Y12); \
	TAIL(R13, Y7, Y13); \
b4sum: \
	VADDPD Y4, Y0, Y0; \
	VADDPD Y5, Y1, Y1; \
	VADDPD Y6, Y2, Y2; \
	VADDPD Y7, Y3, Y3; \
	VHADDPD Y1, Y0, Y0; \
	VHADDPD Y3, Y2, Y2; \
	VPERM2F128 $0x20, Y2, Y0, Y1; \
	VPERM2F128 $0x31, Y2, Y0, Y3; \
	VADDPD Y3, Y1, Y1; \
	VMOVUPD Y1, (R8); \
	ADDQ $32, R8; \
	LEAQ (R13)(R9*1), DI; \
	SUBQ $4, DX; \
	JMP  block4; \
single: \
	TESTQ DX, DX; \
	JZ    done; \
	VXORPD Y0, Y0, Y0; \
	VXORPD Y4, Y4, Y4; \
	XORQ AX, AX; \
	CMPQ AX, R10; \
	JGE  s1rest; \
s1loop: \
	VMOVUPD (SI)(AX*8), Y8; \
	TERM(DI, 0, Y0, Y10); \
	VMOVUPD 32(SI)(AX*8), Y8; \
	TERM(DI, 32, Y4, Y11); \
	ADDQ $8, AX; \
	CMPQ AX, R10; \
	JLT  s1loop; \
s1rest: \
	TESTQ $4, CX; \
	JZ    s1tail; \
	VMOVUPD (SI)(AX*8), Y8; \
	TERM(DI, 0, Y0, Y10); \
	ADDQ $4, AX; \
s1tail: \
	TESTQ $3, CX; \
	JZ    s1sum; \
	VMASKMOVPD (SI)(AX*8), Y15, Y8; \
	TAIL(DI, Y4, Y10); \
s1sum: \
	VADDPD Y4, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; \
	VHADDPD X1, X0, X0; \
	VHADDPD X0, X0, X0; \
	VMOVSD X0, (R8); \
	ADDQ $8, R8; \
	ADDQ R9, DI; \
	DECQ DX; \
	JMP  single; \
done: \
	VZEROUPPER; \
	RET

// func dotRowsAVX2(x, m *float64, d, n int, out *float64)
TEXT ·dotRowsAVX2(SB), NOSPLIT, $0-40
	ROWKERNEL(DOT4, DOTTAIL)

// func sqDistRowsAVX2(x, m *float64, d, n int, out *float64)
TEXT ·sqDistRowsAVX2(SB), NOSPLIT, $0-40
	ROWKERNEL(DIST4, DISTTAIL)

// Vectorised expNonPos (exp.go) for expScaled, 4 lanes of AVX2: the same
// operations in the same order, without FMA, so that every lane equals
// expNonPos bit for bit. expc<> holds each constant 4 times, 32 bytes
// apart: 32/ln2, 0x1.8p52, ln2/32 in two parts, the Taylor coefficients
// 1/720 … 1/2, expNonPosMin, then the integers 1023·32 and 31.
DATA expc<>+0(SB)/8, $0x40471547652b82fe // 32/ln2
DATA expc<>+8(SB)/8, $0x40471547652b82fe
DATA expc<>+16(SB)/8, $0x40471547652b82fe
DATA expc<>+24(SB)/8, $0x40471547652b82fe
DATA expc<>+32(SB)/8, $0x4338000000000000 // shifter 0x1.8p52
DATA expc<>+40(SB)/8, $0x4338000000000000
DATA expc<>+48(SB)/8, $0x4338000000000000
DATA expc<>+56(SB)/8, $0x4338000000000000
DATA expc<>+64(SB)/8, $0x3f962e42fee00000 // ln2hi/32
DATA expc<>+72(SB)/8, $0x3f962e42fee00000
DATA expc<>+80(SB)/8, $0x3f962e42fee00000
DATA expc<>+88(SB)/8, $0x3f962e42fee00000
DATA expc<>+96(SB)/8, $0x3d9a39ef35793c76 // ln2lo/32
DATA expc<>+104(SB)/8, $0x3d9a39ef35793c76
DATA expc<>+112(SB)/8, $0x3d9a39ef35793c76
DATA expc<>+120(SB)/8, $0x3d9a39ef35793c76
DATA expc<>+128(SB)/8, $0x3f56c16c16c16c17 // 1/720
DATA expc<>+136(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+144(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+152(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+160(SB)/8, $0x3f81111111111111 // 1/120
DATA expc<>+168(SB)/8, $0x3f81111111111111
DATA expc<>+176(SB)/8, $0x3f81111111111111
DATA expc<>+184(SB)/8, $0x3f81111111111111
DATA expc<>+192(SB)/8, $0x3fa5555555555555 // 1/24
DATA expc<>+200(SB)/8, $0x3fa5555555555555
DATA expc<>+208(SB)/8, $0x3fa5555555555555
DATA expc<>+216(SB)/8, $0x3fa5555555555555
DATA expc<>+224(SB)/8, $0x3fc5555555555555 // 1/6
DATA expc<>+232(SB)/8, $0x3fc5555555555555
DATA expc<>+240(SB)/8, $0x3fc5555555555555
DATA expc<>+248(SB)/8, $0x3fc5555555555555
DATA expc<>+256(SB)/8, $0x3fe0000000000000 // 1/2
DATA expc<>+264(SB)/8, $0x3fe0000000000000
DATA expc<>+272(SB)/8, $0x3fe0000000000000
DATA expc<>+280(SB)/8, $0x3fe0000000000000
DATA expc<>+288(SB)/8, $0xc086180000000000 // expNonPosMin -707
DATA expc<>+296(SB)/8, $0xc086180000000000
DATA expc<>+304(SB)/8, $0xc086180000000000
DATA expc<>+312(SB)/8, $0xc086180000000000
DATA expc<>+320(SB)/8, $0x0000000000007fe0 // 1023·32 (int64)
DATA expc<>+328(SB)/8, $0x0000000000007fe0
DATA expc<>+336(SB)/8, $0x0000000000007fe0
DATA expc<>+344(SB)/8, $0x0000000000007fe0
DATA expc<>+352(SB)/8, $0x000000000000001f // 31 (int64)
DATA expc<>+360(SB)/8, $0x000000000000001f
DATA expc<>+368(SB)/8, $0x000000000000001f
DATA expc<>+376(SB)/8, $0x000000000000001f
GLOBL expc<>(SB), RODATA|NOPTR, $384

// func expScaledAVX2(src, dst *float64, n int, scale float64, tab *uint64) (bad bool)
//
// Sets dst[j] = expNonPos(scale·src[j]) for j < n (n a positive multiple
// of 4), tab being exp2Table. It reports whether some scale·src[j] was
// outside [expNonPosMin, 0] or NaN; those lanes are garbage and the caller
// recomputes them.
TEXT ·expScaledAVX2(SB), NOSPLIT, $0-41
	MOVQ src+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	VBROADCASTSD scale+24(FP), Y15
	MOVQ tab+32(FP), BX
	XORQ R8, R8

exploop:
	VMULPD     (SI), Y15, Y0
	VCMPPD     $0x1D, expc<>+288(SB), Y0, Y1 // x >= min (ordered)
	VXORPD     Y2, Y2, Y2
	VCMPPD     $0x12, Y2, Y0, Y2             // x <= 0 (ordered)
	VANDPD     Y2, Y1, Y1
	VMOVMSKPD  Y1, AX
	XORQ       $15, AX
	ORQ        AX, R8
	VMULPD     expc<>+0(SB), Y0, Y1          // x·32/ln2
	VADDPD     expc<>+32(SB), Y1, Y1         // t
	VPSUBQ     expc<>+32(SB), Y1, Y2         // k
	VSUBPD     expc<>+32(SB), Y1, Y1         // kf
	VMULPD     expc<>+64(SB), Y1, Y3
	VSUBPD     Y3, Y0, Y3
	VMULPD     expc<>+96(SB), Y1, Y4
	VSUBPD     Y4, Y3, Y3                    // r
	VMULPD     expc<>+128(SB), Y3, Y4
	VADDPD     expc<>+160(SB), Y4, Y4
	VMULPD     Y3, Y4, Y4
	VADDPD     expc<>+192(SB), Y4, Y4
	VMULPD     Y3, Y4, Y4
	VADDPD     expc<>+224(SB), Y4, Y4
	VMULPD     Y3, Y4, Y4
	VADDPD     expc<>+256(SB), Y4, Y4        // q
	VMULPD     Y3, Y3, Y5
	VMULPD     Y4, Y5, Y5
	VADDPD     Y5, Y3, Y3                    // p = r + r²q
	VPAND      expc<>+352(SB), Y2, Y6
	VPSLLQ     $1, Y6, Y6                    // 2(k & 31)
	VPCMPEQQ   Y7, Y7, Y7
	VGATHERQPD Y7, (BX)(Y6*8), Y8            // 2^(j/32), high part
	VPCMPEQQ   Y7, Y7, Y7
	VGATHERQPD Y7, 8(BX)(Y6*8), Y9           // its correction
	VMULPD     Y3, Y8, Y10
	VADDPD     Y10, Y9, Y10
	VADDPD     Y10, Y8, Y10                  // v
	VPADDQ     expc<>+320(SB), Y2, Y2
	VPSRLQ     $5, Y2, Y2
	VPSLLQ     $52, Y2, Y2                   // 2^(k>>5)
	VMULPD     Y2, Y10, Y10
	VMOVUPD    Y10, (DI)
	ADDQ       $32, SI
	ADDQ       $32, DI
	DECQ       CX
	JNZ        exploop

	TESTQ R8, R8
	SETNE bad+40(FP)
	VZEROUPPER
	RET

// The scans of wss.go, 4 lanes, lane l taking t ≡ l mod 4: the products
// and quotients of the Go loops, per lane, with compare-and-blend in place
// of their branches. wssc<>: the lane indices 0-3, then 4 four times, τ,
// NaN and −0 (the sign bit) four times each.
DATA wssc<>+0(SB)/8, $0
DATA wssc<>+8(SB)/8, $1
DATA wssc<>+16(SB)/8, $2
DATA wssc<>+24(SB)/8, $3
DATA wssc<>+32(SB)/8, $4
DATA wssc<>+40(SB)/8, $4
DATA wssc<>+48(SB)/8, $4
DATA wssc<>+56(SB)/8, $4
DATA wssc<>+64(SB)/8, $0x3d719799812dea11 // tau 1e-12
DATA wssc<>+72(SB)/8, $0x3d719799812dea11
DATA wssc<>+80(SB)/8, $0x3d719799812dea11
DATA wssc<>+88(SB)/8, $0x3d719799812dea11
DATA wssc<>+96(SB)/8, $0x7ff8000000000001 // NaN
DATA wssc<>+104(SB)/8, $0x7ff8000000000001
DATA wssc<>+112(SB)/8, $0x7ff8000000000001
DATA wssc<>+120(SB)/8, $0x7ff8000000000001
DATA wssc<>+128(SB)/8, $0x8000000000000000
DATA wssc<>+136(SB)/8, $0x8000000000000000
DATA wssc<>+144(SB)/8, $0x8000000000000000
DATA wssc<>+152(SB)/8, $0x8000000000000000
GLOBL wssc<>(SB), RODATA|NOPTR, $160

// func wssMaxAVX2(grad, upMul *float64, n int, st *wssLanes)
TEXT ·wssMaxAVX2(SB), NOSPLIT, $0-32
	MOVQ    grad+0(FP), SI
	MOVQ    upMul+8(FP), DI
	MOVQ    n+16(FP), CX
	MOVQ    st+24(FP), R8
	VMOVUPD 0(R8), Y0  // lane maxima
	VMOVDQU 32(R8), Y1 // their indices
	VMOVDQU wssc<>+0(SB), Y2
	VMOVDQU wssc<>+32(SB), Y3

maxloop:
	VMOVUPD   (SI), Y4
	VMULPD    (DI), Y4, Y4      // v = g·upMul
	VCMPPD    $0x1D, Y0, Y4, Y5 // v >= max
	VBLENDVPD Y5, Y4, Y0, Y0
	VBLENDVPD Y5, Y2, Y1, Y1
	VPADDQ    Y3, Y2, Y2
	ADDQ      $32, SI
	ADDQ      $32, DI
	SUBQ      $4, CX
	JNZ       maxloop

	VMOVUPD Y0, 0(R8)
	VMOVDQU Y1, 32(R8)
	VZEROUPPER
	RET

// func wssMinAVX2(grad, lowMul, qd *float64, qi *float32, n int, gmax, qdi, twoYi float64, st *wssLanes)
TEXT ·wssMinAVX2(SB), NOSPLIT, $0-72
	MOVQ         grad+0(FP), SI
	MOVQ         lowMul+8(FP), DI
	MOVQ         qd+16(FP), R10
	MOVQ         qi+24(FP), R9
	MOVQ         n+32(FP), CX
	VBROADCASTSD gmax+40(FP), Y10
	VBROADCASTSD qdi+48(FP), Y11
	VBROADCASTSD twoYi+56(FP), Y12
	MOVQ         st+64(FP), R8
	VMOVUPD      0(R8), Y0  // lane minima of −b²/a
	VMOVDQU      32(R8), Y1 // their indices
	VMOVUPD      64(R8), Y6 // lane maxima of y∇ (gmax2)
	VMOVDQU      wssc<>+0(SB), Y2
	VMOVDQU      wssc<>+32(SB), Y3
	VMOVUPD      wssc<>+64(SB), Y13
	VMOVUPD      wssc<>+96(SB), Y14
	VMOVUPD      wssc<>+128(SB), Y15
	VXORPD       Y9, Y9, Y9

minloop:
	VMOVUPD   (SI), Y4
	VMOVUPD   (DI), Y5
	VMULPD    Y5, Y4, Y4        // yg = g·lowMul
	VCMPPD    $0x1D, Y6, Y4, Y7 // yg >= gmax2
	VBLENDVPD Y7, Y4, Y6, Y6
	VADDPD    Y4, Y10, Y4       // b = gmax + yg
	VCMPPD    $0x1E, Y9, Y4, Y8 // b > 0
	VCVTPS2PD (R9), Y7          // Q_it
	VMULPD    Y12, Y5, Y5       // twoYi·lowMul
	VMULPD    Y7, Y5, Y5        // ·Q_it
	VADDPD    (R10), Y11, Y7    // qdi + Q_tt
	VSUBPD    Y5, Y7, Y7        // a
	VCMPPD    $0x1E, Y9, Y7, Y5 // a > 0
	VBLENDVPD Y5, Y7, Y13, Y7   // else τ
	VMULPD    Y4, Y4, Y4
	VXORPD    Y15, Y4, Y4       // −b²
	VDIVPD    Y7, Y4, Y4        // −b²/a
	VBLENDVPD Y8, Y4, Y14, Y4   // NaN where b ≤ 0 (or NaN)
	VCMPPD    $0x12, Y0, Y4, Y5 // −b²/a <= min
	VBLENDVPD Y5, Y4, Y0, Y0
	VBLENDVPD Y5, Y2, Y1, Y1
	VPADDQ    Y3, Y2, Y2
	ADDQ      $32, SI
	ADDQ      $32, DI
	ADDQ      $32, R10
	ADDQ      $16, R9
	SUBQ      $4, CX
	JNZ       minloop

	VMOVUPD Y0, 0(R8)
	VMOVDQU Y1, 32(R8)
	VMOVUPD Y6, 64(R8)
	VZEROUPPER
	RET

// func gradStepAVX2(g *float64, qi, qj *float32, n int, dI, dJ float64)
//
// g[k] += qi[k]·dI + qj[k]·dJ for k < n (n a positive multiple of 4), with
// gradStep's roundings.
TEXT ·gradStepAVX2(SB), NOSPLIT, $0-48
	MOVQ         grad+0(FP), DI
	MOVQ         qi+8(FP), SI
	MOVQ         qj+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSD dI+32(FP), Y14
	VBROADCASTSD dJ+40(FP), Y15

gradloop:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD (DX), Y1
	VMULPD    Y14, Y0, Y0
	VMULPD    Y15, Y1, Y1
	VADDPD    Y1, Y0, Y0
	VADDPD    (DI), Y0, Y0
	VMOVUPD   Y0, (DI)
	ADDQ      $16, SI
	ADDQ      $16, DX
	ADDQ      $32, DI
	SUBQ      $4, CX
	JNZ       gradloop

	VZEROUPPER
	RET
