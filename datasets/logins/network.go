package logins

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
)

// NetworkKind tells what a synthetic network stands for.
type NetworkKind uint8

// Kinds of network.
const (
	ISP     NetworkKind = iota // an Internet service provider: homes
	Company                    // a company: workplaces
)

func (k NetworkKind) String() string {
	if k == Company {
		return "company"
	}
	return "isp"
}

// Network is an IPv4 address range with a weight: how likely it is to be
// drawn as someone's home or work network, relative to others of its kind.
type Network struct {
	Prefix netip.Prefix
	Kind   NetworkKind
	Weight float64
}

// randomAddr draws an address uniformly from the range of p.
func randomAddr(rng *rand.Rand, p netip.Prefix) netip.Addr {
	base, _ := IPv4Uint32(p.Masked().Addr())
	span := uint64(1) << (32 - p.Bits())
	return IPv4FromUint32(base + uint32(rng.Uint64N(span)))
}

// networkIndex finds which of a set of disjoint IPv4 networks holds an
// address.
type networkIndex struct {
	starts []uint32
	ends   []uint32 // inclusive
	ids    []int    // index into the caller's slice
}

// newNetworkIndex indexes nets, which must be IPv4 and disjoint.
func newNetworkIndex(nets []Network) (*networkIndex, error) {
	order := make([]int, len(nets))
	for i, n := range nets {
		if !n.Prefix.IsValid() || !n.Prefix.Addr().Is4() {
			return nil, fmt.Errorf("logins: network %d (%v) is not an IPv4 prefix", i, n.Prefix)
		}
		order[i] = i
	}
	start := func(i int) uint32 { u, _ := IPv4Uint32(nets[i].Prefix.Masked().Addr()); return u }
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(start(a), start(b)) })
	x := &networkIndex{}
	for _, i := range order {
		s := start(i)
		e := s + uint32(uint64(1)<<(32-nets[i].Prefix.Bits())-1)
		if k := len(x.ends); k > 0 && s <= x.ends[k-1] {
			return nil, fmt.Errorf("logins: networks %v and %v overlap", nets[x.ids[k-1]].Prefix, nets[i].Prefix)
		}
		x.starts, x.ends, x.ids = append(x.starts, s), append(x.ends, e), append(x.ids, i)
	}
	return x, nil
}

// lookup returns the index of the network holding a, or -1.
func (x *networkIndex) lookup(a netip.Addr) int {
	u, ok := IPv4Uint32(a)
	if !ok {
		return -1
	}
	k, found := slices.BinarySearch(x.starts, u)
	if !found {
		k--
	}
	if k < 0 || u > x.ends[k] {
		return -1
	}
	return x.ids[k]
}
