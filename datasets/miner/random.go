package miner

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"time"
)

// poisson draws a Poisson count with the given mean: Knuth's product
// method below 30, a rounded normal approximation above.
func poisson(rng *rand.Rand, mean float64) int {
	switch {
	case mean <= 0:
		return 0
	case mean < 30:
		l, k, p := math.Exp(-mean), 0, rng.Float64()
		for p > l {
			k++
			p *= rng.Float64()
		}
		return k
	default:
		return max(0, int(math.Round(mean+math.Sqrt(mean)*rng.NormFloat64())))
	}
}

// logNormal draws exp(N(log(median), sigma^2)).
func logNormal(rng *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*rng.NormFloat64())
}

// uniform draws from [lo, hi).
func uniform(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

// between draws an int from [lo, hi].
func between(rng *rand.Rand, lo, hi int) int { return lo + rng.IntN(hi-lo+1) }

// durationBetween draws a duration log-uniformly from [lo, hi].
func durationBetween(rng *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	a, b := math.Log(float64(lo)), math.Log(float64(hi))
	return time.Duration(math.Exp(uniform(rng, a, b)))
}

// pick returns a uniformly drawn element of xs.
func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// addrIn draws an address in the IPv4 prefix p.
func addrIn(rng *rand.Rand, p netip.Prefix) netip.Addr {
	b := p.Addr().As4()
	base := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	host := uint32(rng.Uint64()) & (1<<(32-p.Bits()) - 1)
	v := base | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// Synthetic address ranges: clients and servers on "the Internet" come
// from the benchmarking range, pools from TEST-NET-3, content networks
// from TEST-NET-2 and internal hosts from 10/8.
var (
	netInternet = netip.MustParsePrefix("198.18.0.0/15")
	netPools    = netip.MustParsePrefix("203.0.113.0/24")
	netCDN      = netip.MustParsePrefix("198.51.100.0/24")
	netInternal = netip.MustParsePrefix("10.0.0.0/16")
)

// addrs draws n addresses in p.
func addrs(rng *rand.Rand, p netip.Prefix, n int) []netip.Addr {
	out := make([]netip.Addr, n)
	for i := range out {
		out[i] = addrIn(rng, p)
	}
	return out
}

// hexID draws n lower-case hex digits (a container id is 12).
func hexID(rng *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[rng.IntN(16)]
	}
	return string(b)
}

// randomName draws a lower-case name of 5 to 9 letters.
func randomName(rng *rand.Rand) string {
	b := make([]byte, between(rng, 5, 9))
	for i := range b {
		b[i] = byte('a' + rng.IntN(26))
	}
	return string(b)
}

// ephemeralPort draws a port of the Linux ephemeral range.
func ephemeralPort(rng *rand.Rand) uint16 { return uint16(between(rng, 32768, 60999)) }

// roundTo rounds x to d decimals, to keep the JSON lines short.
func roundTo(x float64, d int) float64 {
	p := math.Pow10(d)
	return math.Round(x*p) / p
}
