package baseline

import (
	"net/netip"
	"testing"
)

func addrs(ss ...string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

func TestIPTableExactAndSubnet(t *testing.T) {
	ents := []string{"alice", "alice", "bob"}
	ips := addrs("10.0.0.1", "192.168.7.9", "10.0.0.1")
	exact, err := IPTable{Prefix: 32}.Fit(ents, ips)
	if err != nil {
		t.Fatal(err)
	}
	subnet, err := IPTable{Prefix: 24}.Fit(ents, ips)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		entity, ip    string
		exact, subnet float64
	}{
		{"alice", "10.0.0.1", 0, 0},
		{"alice", "10.0.0.2", 1, 0},  // same /24, new address
		{"alice", "10.0.1.1", 1, 1},  // another /24
		{"bob", "192.168.7.9", 1, 1}, // alice's address, not bob's
		{"carol", "10.0.0.1", 1, 1},  // unknown entity
		{"alice", "192.168.7.200", 1, 0},
	} {
		ip := netip.MustParseAddr(c.ip)
		if got, _ := exact.Score(c.entity, ip); got != c.exact {
			t.Errorf("/32 %s %s: %v, want %v", c.entity, c.ip, got, c.exact)
		}
		if got, _ := subnet.Score(c.entity, ip); got != c.subnet {
			t.Errorf("/24 %s %s: %v, want %v", c.entity, c.ip, got, c.subnet)
		}
	}
	if exact.Entities() != 2 {
		t.Errorf("%d entities", exact.Entities())
	}
}

func TestIPTableErrors(t *testing.T) {
	if _, err := (IPTable{Prefix: 0}).Fit(nil, nil); err == nil {
		t.Error("prefix 0 accepted")
	}
	if _, err := (IPTable{Prefix: 32}).Fit([]string{"a"}, nil); err == nil {
		t.Error("mismatched lengths accepted")
	}
	if _, err := (IPTable{Prefix: 32}).Fit([]string{"a"}, addrs("::1")); err == nil {
		t.Error("IPv6 accepted")
	}
	m, _ := IPTable{Prefix: 32}.Fit([]string{"a"}, addrs("1.2.3.4"))
	if _, err := m.Score("a", netip.MustParseAddr("2001:db8::1")); err == nil {
		t.Error("IPv6 scored")
	}
}
