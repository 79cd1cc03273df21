package logins

import (
	"math/rand/v2"
	"net/netip"
	"slices"
)

// maxNetworks bounds the synthetic network table: each network gets its
// own /16 of public unicast space.
const maxNetworks = 20000

// reserved16 reports whether the /16 with high half h lies in private,
// loopback, link-local, documentation, benchmarking, shared (CGN),
// multicast or reserved space.
func reserved16(h uint32) bool {
	a, b := h>>8, h&0xff
	switch {
	case a == 0, a == 10, a == 127, a >= 224:
		return true
	case a == 100 && b >= 64 && b < 128:
		return true
	case a == 169 && b == 254, a == 172 && b >= 16 && b < 32:
		return true
	case a == 192 && (b == 0 || b == 168):
		return true
	case a == 198 && (b == 18 || b == 19 || b == 51), a == 203 && b == 0:
		return true
	}
	return false
}

// synthNetworks draws n disjoint networks, each inside its own public /16
// with a prefix length in [minBits, maxBits], the first nISP of them ISPs,
// weights Pareto-distributed; the result is sorted by address.
func synthNetworks(rng *rand.Rand, n, nISP, minBits, maxBits int, weightShape float64) []Network {
	used := make(map[uint32]bool, n)
	nets := make([]Network, 0, n)
	for len(nets) < n {
		h := rng.Uint32N(1 << 16)
		if used[h] || reserved16(h) {
			continue
		}
		used[h] = true
		bits := minBits + rng.IntN(maxBits-minBits+1)
		off := uint32(0)
		if bits > 16 {
			off = rng.Uint32N(1<<(bits-16)) << (32 - bits)
		}
		kind := Company
		if len(nets) < nISP {
			kind = ISP
		}
		nets = append(nets, Network{
			Prefix: netip.PrefixFrom(IPv4FromUint32(h<<16|off), bits),
			Kind:   kind,
			Weight: paretoDraw(rng, 1, weightShape),
		})
	}
	slices.SortFunc(nets, func(x, y Network) int { return x.Prefix.Addr().Compare(y.Prefix.Addr()) })
	return nets
}

// byKind returns the indices of the networks of kind k.
func byKind(nets []Network, k NetworkKind) []int {
	var ids []int
	for i, n := range nets {
		if n.Kind == k {
			ids = append(ids, i)
		}
	}
	return ids
}
