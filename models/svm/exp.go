package svm

import "math"

// expNonPos is e^x for the kernel's arguments x ≤ 0, within about half an
// ulp of the exact value (TestExpNonPos bounds it against math.Exp and a
// high-precision reference) and several times faster than math.Exp in a
// loop over a column. It reduces x = (32m + j)·ln2/32 + r with |r| ≤
// ln2/64, evaluates e^r − 1 by its Taylor polynomial of degree 6 (the next
// term is below 4e-18) and scales 2^(j/32), kept as a sum of two doubles,
// by 2^m. Arguments outside [expNonPosMin, 0] (and NaN) go to math.Exp; at
// expNonPosMin the result is still far from the subnormal range.
//
// The explicit conversions keep the compiler from fusing a multiply and an
// add: expScaledAVX2 repeats these operations lane by lane, and the two must
// agree bit for bit.
func expNonPos(x float64) float64 {
	if !(x >= expNonPosMin && x <= 0) {
		return math.Exp(x)
	}
	// t rounds x·32/ln2 to an integer k held in its low mantissa bits.
	t := float64(x*expInvLn2x32) + expShifter
	k := int64(math.Float64bits(t)) - int64(math.Float64bits(expShifter))
	kf := t - expShifter
	// kf·expLn2Hi32 is exact (expLn2Hi32 has 32 significant bits, |k| <
	// 2^15) and cancels against x exactly.
	r := float64(x-float64(kf*expLn2Hi32)) - float64(kf*expLn2Lo32)
	q := float64(r*(1.0/720)) + 1.0/120
	q = float64(q*r) + 1.0/24
	q = float64(q*r) + 1.0/6
	q = float64(q*r) + 1.0/2
	p := r + float64(float64(r*r)*q) // e^r − 1
	e := &exp2Table[k&31]
	hi, lo := math.Float64frombits(e[0]), math.Float64frombits(e[1])
	v := hi + float64(lo+float64(hi*p))
	// 2^m for m = k>>5 ≥ −1021: k + 1023·32 > 0.
	return v * math.Float64frombits(uint64(k+1023*32)>>5<<52)
}

const (
	// expNonPosMin keeps 2^m normal: m ≥ −1021 above it (k ≥ −32640).
	expNonPosMin = -707.0
	expInvLn2x32 = 46.16624130844682713 // 32/ln2
	expShifter   = 0x1.8p52
	// ln2/32 in two parts (fdlibm's ln2 split, divided by 32).
	expLn2Hi32 = 6.93147180369123816490e-01 / 32
	expLn2Lo32 = 1.90821492927058770002e-10 / 32
)

// exp2Table[j] is 2^(j/32) as the sum of a double and a correction (the
// bits of each).
var exp2Table = [32][2]uint64{
	{0x3ff0000000000000, 0x0000000000000000}, // 1.0
	{0x3ff059b0d3158574, 0x3c8d73e2a475b465}, // 1.0218971486541166
	{0x3ff0b5586cf9890f, 0x3c98a62e4adc610b}, // 1.0442737824274138
	{0x3ff11301d0125b51, 0xbc96c51039449b3a}, // 1.0671404006768237
	{0x3ff172b83c7d517b, 0xbc819041b9d78a76}, // 1.0905077326652577
	{0x3ff1d4873168b9aa, 0x3c9e016e00a2643c}, // 1.1143867425958924
	{0x3ff2387a6e756238, 0x3c99b07eb6c70573}, // 1.1387886347566916
	{0x3ff29e9df51fdee1, 0x3c8612e8afad1255}, // 1.1637248587775775
	{0x3ff306fe0a31b715, 0x3c86f46ad23182e4}, // 1.189207115002721
	{0x3ff371a7373aa9cb, 0xbc963aeabf42eae2}, // 1.215247359980469
	{0x3ff3dea64c123422, 0x3c8ada0911f09ebc}, // 1.241857812073484
	{0x3ff44e086061892d, 0x3c489b7a04ef80d0}, // 1.2690509571917332
	{0x3ff4bfdad5362a27, 0x3c7d4397afec42e2}, // 1.2968395546510096
	{0x3ff5342b569d4f82, 0xbc807abe1db13cad}, // 1.3252366431597413
	{0x3ff5ab07dd485429, 0x3c96324c054647ad}, // 1.3542555469368927
	{0x3ff6247eb03a5585, 0xbc9383c17e40b497}, // 1.383909881963832
	{0x3ff6a09e667f3bcd, 0xbc9bdd3413b26456}, // 1.4142135623730951
	{0x3ff71f75e8ec5f74, 0xbc816e4786887a99}, // 1.4451808069770467
	{0x3ff7a11473eb0187, 0xbc841577ee04992f}, // 1.4768261459394993
	{0x3ff82589994cce13, 0xbc9d4c1dd41532d8}, // 1.5091644275934228
	{0x3ff8ace5422aa0db, 0x3c96e9f156864b27}, // 1.5422108254079407
	{0x3ff93737b0cdc5e5, 0xbc675fc781b57ebc}, // 1.5759808451078865
	{0x3ff9c49182a3f090, 0x3c7c7c46b071f2be}, // 1.6104903319492543
	{0x3ffa5503b23e255d, 0xbc9d2f6edb8d41e1}, // 1.645755478153965
	{0x3ffae89f995ad3ad, 0x3c97a1cd345dcc81}, // 1.681792830507429
	{0x3ffb7f76f2fb5e47, 0xbc75584f7e54ac3b}, // 1.718619298122478
	{0x3ffc199bdd85529c, 0x3c811065895048dd}, // 1.7562521603732995
	{0x3ffcb720dcef9069, 0x3c7503cbd1e949db}, // 1.7947090750031072
	{0x3ffd5818dcfba487, 0x3c82ed02d75b3707}, // 1.8340080864093424
	{0x3ffdfc97337b9b5f, 0xbc91a5cd4f184b5c}, // 1.8741676341103
	{0x3ffea4afa2a490da, 0xbc9e9c23179c2893}, // 1.9152065613971474
	{0x3fff50765b6e4540, 0x3c99d3e12dd8a18b}, // 1.9571441241754002
}
