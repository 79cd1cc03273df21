//go:build amd64 && !purego

#include "textflag.h"

// Vectorised exp, sigmoid and tanh for fastmath.go, 8 lanes of AVX2/FMA:
// the same Cephes polynomials as expf and tanhf, arguments of exp clamped
// to [-87.3, 88.3] (so that 2^n scaling stays exact; NaN is kept).

DATA vmc<>+0(SB)/4, $0xc2ae999a // lo -87.3
DATA vmc<>+4(SB)/4, $0x42b0999a // hi 88.3
DATA vmc<>+8(SB)/4, $0x3fb8aa3b // log2e 1.4426950408889634
DATA vmc<>+12(SB)/4, $0x3f318000 // c1 0.693359375
DATA vmc<>+16(SB)/4, $0xb95e8083 // c2 -0.00021219444
DATA vmc<>+20(SB)/4, $0x39506967 // p0 0.000198756915
DATA vmc<>+24(SB)/4, $0x3ab743ce // p1 0.0013981999507
DATA vmc<>+28(SB)/4, $0x3c088908 // p2 0.0083334519073
DATA vmc<>+32(SB)/4, $0x3d2aa9c1 // p3 0.041665795894
DATA vmc<>+36(SB)/4, $0x3e2aaaaa // p4 0.16666665459
DATA vmc<>+40(SB)/4, $0x3f000000 // p5 0.50000001201
DATA vmc<>+44(SB)/4, $0x3f800000 // one 1.0
DATA vmc<>+48(SB)/4, $0x3f200000 // tsmall 0.625
DATA vmc<>+52(SB)/4, $0xbbbaf0ea // t0 -0.00570498872745
DATA vmc<>+56(SB)/4, $0x3ca9134e // t1 0.0206390887954
DATA vmc<>+60(SB)/4, $0xbd5c1e2d // t2 -0.0537397155531
DATA vmc<>+64(SB)/4, $0x3e088393 // t3 0.133314422036
DATA vmc<>+68(SB)/4, $0xbeaaaa99 // t4 -0.333332819422
DATA vmc<>+72(SB)/4, $0xc0000000 // mtwo -2.0
DATA vmc<>+76(SB)/4, $0x0000007f // bias
DATA vmc<>+80(SB)/4, $0x80000000 // sign
DATA vmc<>+84(SB)/4, $0x7fffffff // abs
GLOBL vmc<>(SB), RODATA|NOPTR, $88

// EXP replaces Y0 by exp(Y0); it clobbers Y1-Y4.
#define EXP \
	VBROADCASTSS vmc<>+0(SB), Y4; \
	VMAXPS Y0, Y4, Y0; \
	VBROADCASTSS vmc<>+4(SB), Y4; \
	VMINPS Y0, Y4, Y0; \
	VBROADCASTSS vmc<>+8(SB), Y4; \
	VMULPS Y4, Y0, Y1; \
	VROUNDPS $0, Y1, Y1; \
	VBROADCASTSS vmc<>+12(SB), Y4; \
	VFNMADD231PS Y4, Y1, Y0; \
	VBROADCASTSS vmc<>+16(SB), Y4; \
	VFNMADD231PS Y4, Y1, Y0; \
	VBROADCASTSS vmc<>+20(SB), Y2; \
	VBROADCASTSS vmc<>+24(SB), Y4; \
	VFMADD213PS Y4, Y0, Y2; \
	VBROADCASTSS vmc<>+28(SB), Y4; \
	VFMADD213PS Y4, Y0, Y2; \
	VBROADCASTSS vmc<>+32(SB), Y4; \
	VFMADD213PS Y4, Y0, Y2; \
	VBROADCASTSS vmc<>+36(SB), Y4; \
	VFMADD213PS Y4, Y0, Y2; \
	VBROADCASTSS vmc<>+40(SB), Y4; \
	VFMADD213PS Y4, Y0, Y2; \
	VMULPS Y0, Y0, Y3; \
	VFMADD213PS Y0, Y3, Y2; \
	VBROADCASTSS vmc<>+44(SB), Y4; \
	VADDPS Y4, Y2, Y2; \
	VCVTPS2DQ Y1, Y1; \
	VBROADCASTSS vmc<>+76(SB), Y4; \
	VPADDD Y4, Y1, Y1; \
	VPSLLD $23, Y1, Y1; \
	VMULPS Y1, Y2, Y0

// func vmathAVX2(op int, x *float32, n int)
//
// Replaces x[0:n] (n a multiple of 8) by exp (op 0), sigmoid (op 1) or
// tanh (op 2) of itself.
TEXT ·vmathAVX2(SB), NOSPLIT, $0-24
	MOVQ op+0(FP), AX
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JZ   done
	CMPQ AX, $1
	JEQ  sigloop
	CMPQ AX, $2
	JEQ  tanhloop

exploop:
	VMOVUPS (SI), Y0
	EXP
	VMOVUPS Y0, (SI)
	ADDQ    $32, SI
	DECQ    CX
	JNZ     exploop
	JMP     done

sigloop:
	VMOVUPS      (SI), Y0
	VBROADCASTSS vmc<>+80(SB), Y4
	VXORPS       Y4, Y0, Y0
	EXP
	VBROADCASTSS vmc<>+44(SB), Y4
	VADDPS       Y4, Y0, Y0
	VDIVPS       Y0, Y4, Y0
	VMOVUPS      Y0, (SI)
	ADDQ         $32, SI
	DECQ         CX
	JNZ          sigloop
	JMP          done

	// tanh: (1-e)/(1+e) with e = exp(-2|x|) and the sign of x, or, where
	// |x| < 0.625, x + x·z·p(z) with z = x².
tanhloop:
	VMOVUPS      (SI), Y5
	VBROADCASTSS vmc<>+84(SB), Y4
	VANDPS       Y4, Y5, Y6
	VBROADCASTSS vmc<>+72(SB), Y4
	VMULPS       Y4, Y6, Y0
	EXP
	VBROADCASTSS vmc<>+44(SB), Y4
	VSUBPS       Y0, Y4, Y1
	VADDPS       Y4, Y0, Y0
	VDIVPS       Y0, Y1, Y1
	VBROADCASTSS vmc<>+80(SB), Y4
	VANDPS       Y4, Y5, Y2
	VORPS        Y2, Y1, Y1
	VMULPS Y5, Y5, Y2
	VBROADCASTSS vmc<>+52(SB), Y3
	VBROADCASTSS vmc<>+56(SB), Y4
	VFMADD213PS Y4, Y2, Y3
	VBROADCASTSS vmc<>+60(SB), Y4
	VFMADD213PS Y4, Y2, Y3
	VBROADCASTSS vmc<>+64(SB), Y4
	VFMADD213PS Y4, Y2, Y3
	VBROADCASTSS vmc<>+68(SB), Y4
	VFMADD213PS Y4, Y2, Y3
	VMULPS Y2, Y3, Y3
	VFMADD213PS Y5, Y5, Y3
	VBROADCASTSS vmc<>+48(SB), Y4
	VCMPPS       $1, Y4, Y6, Y7
	VBLENDVPS    Y7, Y3, Y1, Y0
	VMOVUPS      Y0, (SI)
	ADDQ         $32, SI
	DECQ         CX
	JNZ          tanhloop

done:
	VZEROUPPER
	RET
