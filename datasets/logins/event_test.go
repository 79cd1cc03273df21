package logins

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseIPv4(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"10.0.0.1", "10.0.0.1", ""},
		{"::ffff:192.0.2.7", "192.0.2.7", ""},
		{"10.0.0.300", "", `"10.0.0.300" is not an IPv4 address`},
		{"010.0.0.1", "", "is not an IPv4 address"},
		{"", "", "is not an IPv4 address"},
		{"2001:db8::1", "", "IPv6 is not supported"},
	} {
		a, err := ParseIPv4(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || a.String() != tc.want {
			t.Errorf("%q: %v, %v; want %s", tc.in, a, err, tc.want)
		}
	}
}

func TestUint32AndSubnets(t *testing.T) {
	a := netip.MustParseAddr("203.0.113.77")
	u, ok := IPv4Uint32(a)
	if !ok || u != 203<<24|113<<8|77 {
		t.Fatalf("IPv4Uint32 = %d, %v", u, ok)
	}
	if IPv4FromUint32(u) != a {
		t.Fatalf("round trip gives %v", IPv4FromUint32(u))
	}
	if _, ok := IPv4Uint32(netip.MustParseAddr("::1")); ok {
		t.Error("IPv4Uint32 accepted IPv6")
	}
	ps, err := Subnets(a)
	if err != nil {
		t.Fatal(err)
	}
	want := [3]string{"203.0.0.0/8", "203.0.0.0/16", "203.0.113.0/24"}
	for i, p := range ps {
		if p.String() != want[i] {
			t.Errorf("subnet %d = %v, want %s", i, p, want[i])
		}
	}
	if _, err := Subnet(a, 33); err == nil {
		t.Error("Subnet accepted /33")
	}
	if _, err := Subnet(netip.MustParseAddr("2001:db8::1"), 16); err == nil {
		t.Error("Subnet accepted IPv6")
	}
}

func TestEntityKeyAndPairFeatures(t *testing.T) {
	// FNV-1a 32 of "a" is 0xe40c292c (the published test vector).
	if got := EntityKey("a"); got != 0xe40c292c {
		t.Fatalf("EntityKey(a) = %#x", got)
	}
	f, ok := PairFeatures("a", netip.MustParseAddr("255.0.0.1"))
	if !ok || uint32(f[0]) != 0xe40c292c || uint32(f[1]) != 0xff000001 {
		t.Fatalf("PairFeatures = %#x %v", f, ok)
	}
	if _, ok := PairFeatures("a", netip.MustParseAddr("::1")); ok {
		t.Fatal("IPv6 encoded")
	}
}
