package baseline

import (
	"fmt"
	"net/netip"
)

// IPTable is the IP Insights example's first baseline: has this entity
// used this exact IPv4 address in training? Prefix 32 asks about the
// address, 24 about its /24 subnet (the second baseline), and so on.
type IPTable struct {
	// Prefix is the number of leading address bits compared, in [1, 32].
	Prefix int
}

// IPTableModel is the set of (entity, prefix) pairs seen in training.
type IPTableModel struct {
	prefix int
	seen   map[string]map[uint32]struct{}
}

// Fit records every (entity, address prefix) of the training pairs.
// Addresses must be IPv4.
func (t IPTable) Fit(entities []string, ips []netip.Addr) (*IPTableModel, error) {
	if t.Prefix < 1 || t.Prefix > 32 {
		return nil, fmt.Errorf("baseline: IP table prefix %d is not in [1, 32]", t.Prefix)
	}
	if len(entities) != len(ips) {
		return nil, fmt.Errorf("baseline: %d entities for %d addresses", len(entities), len(ips))
	}
	m := &IPTableModel{prefix: t.Prefix, seen: map[string]map[uint32]struct{}{}}
	for i, e := range entities {
		k, err := m.key(ips[i])
		if err != nil {
			return nil, fmt.Errorf("baseline: training pair %d: %w", i, err)
		}
		set := m.seen[e]
		if set == nil {
			set = map[uint32]struct{}{}
			m.seen[e] = set
		}
		set[k] = struct{}{}
	}
	return m, nil
}

// key is the address's first prefix bits.
func (m *IPTableModel) key(ip netip.Addr) (uint32, error) {
	if !ip.Is4() {
		return 0, fmt.Errorf("%v is not an IPv4 address", ip)
	}
	b := ip.As4()
	u := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	return u >> (32 - m.prefix), nil
}

// Score is 1 when the entity never used the address's prefix in training
// (an unknown entity included) and 0 when it did: higher is more
// anomalous, like the model's negated dot product.
func (m *IPTableModel) Score(entity string, ip netip.Addr) (float64, error) {
	k, err := m.key(ip)
	if err != nil {
		return 0, err
	}
	if _, ok := m.seen[entity][k]; ok {
		return 0, nil
	}
	return 1, nil
}

// Entities is the number of entities seen in training.
func (m *IPTableModel) Entities() int { return len(m.seen) }
