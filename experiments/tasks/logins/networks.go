package logins

import (
	"math/rand/v2"
	"net/netip"

	ds "github.com/vigil-ml/vigil/datasets/logins"
)

// minNetworks is the fewest networks attacks are drawn from in a log.
const minNetworks = 256

// slash16 is the /16 of an IPv4 address as its top 16 bits.
func slash16(a netip.Addr) uint32 {
	u, _ := ds.IPv4Uint32(a)
	return u >> 16
}

// logNetworks is the network table of a log, which has none: every /16
// its events come from, padded with random public /16s to minNetworks
// and to more than any one entity uses, so that every entity has a
// network it never used. Attacks thus mostly come from networks other
// entities log in from, as in the synthetic data, where they come from the
// networks of other users.
func logNetworks(events []ds.Event, rng *rand.Rand) (nets []ds.Network, observed int) {
	seen := map[uint32]bool{}
	per := map[string]map[uint32]bool{}
	most := 0
	for _, e := range events {
		h := slash16(e.IP)
		if !seen[h] {
			seen[h] = true
			nets = append(nets, net16(h))
		}
		if per[e.Entity] == nil {
			per[e.Entity] = map[uint32]bool{}
		}
		per[e.Entity][h] = true
		most = max(most, len(per[e.Entity]))
	}
	observed = len(nets)
	for len(nets) < max(minNetworks, most+1) {
		h := rng.Uint32N(1 << 16)
		if !seen[h] && public16(h) {
			seen[h] = true
			nets = append(nets, net16(h))
		}
	}
	return nets, observed
}

func net16(h uint32) ds.Network {
	return ds.Network{Prefix: netip.PrefixFrom(ds.IPv4FromUint32(h<<16), 16), Kind: ds.ISP, Weight: 1}
}

// public16 reports whether the /16 h is public unicast space.
func public16(h uint32) bool {
	a := ds.IPv4FromUint32(h << 16)
	first := h >> 8
	shared := first == 100 && h&0xff >= 64 && h&0xff < 128 // carrier-grade NAT
	return first != 0 && first < 224 && a.IsGlobalUnicast() && !a.IsPrivate() && !shared
}

// usedNetworks is the set of /16s each entity logged in from.
func usedNetworks(events []ds.Event, idx []int) map[string]map[uint32]bool {
	out := map[string]map[uint32]bool{}
	for _, i := range idx {
		e := events[i]
		if out[e.Entity] == nil {
			out[e.Entity] = map[uint32]bool{}
		}
		out[e.Entity][slash16(e.IP)] = true
	}
	return out
}
