package logins

import (
	"fmt"
	"net/netip"
	"time"
)

// Outcome says whether a login attempt succeeded, where the source tells.
type Outcome uint8

// Outcomes of a login attempt.
const (
	OutcomeUnknown  Outcome = iota // the source does not say (CSV input)
	OutcomeAccepted                // the login succeeded
	OutcomeFailed                  // the login failed
)

func (o Outcome) String() string {
	switch o {
	case OutcomeAccepted:
		return "accepted"
	case OutcomeFailed:
		return "failed"
	default:
		return "unknown"
	}
}

// Event is one login of an entity (a user or account) from an IPv4 address.
type Event struct {
	Entity      string
	IP          netip.Addr // always IPv4
	Time        time.Time  // zero when unknown
	Line        int        // 1-based line of the source; 0 when generated
	Outcome     Outcome
	Method      string // authentication method (sshd only), e.g. "password"
	InvalidUser bool   // sshd reported the user as not existing
}

// ParseIPv4 parses a dotted-quad IPv4 address. IPv4-mapped IPv6 addresses
// (::ffff:a.b.c.d) are unmapped; any other IPv6 address is rejected.
func ParseIPv4(s string) (netip.Addr, error) {
	a, _, msg := parseIPv4(s)
	if msg != "" {
		return netip.Addr{}, fmt.Errorf("logins: %s", msg)
	}
	return a, nil
}

// parseIPv4 returns the address, or the reason and message why s is not one.
func parseIPv4(s string) (netip.Addr, Reason, string) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, ReasonBadIP, fmt.Sprintf("%q is not an IPv4 address", s)
	}
	a = a.Unmap()
	if !a.Is4() {
		return netip.Addr{}, ReasonIPv6, fmt.Sprintf("%q: IPv6 is not supported", s)
	}
	return a, "", ""
}

// IPv4Uint32 returns a as a big-endian integer; ok is false unless a is IPv4.
func IPv4Uint32(a netip.Addr) (u uint32, ok bool) {
	if !a.Is4() {
		return 0, false
	}
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]), true
}

// IPv4FromUint32 is the inverse of IPv4Uint32.
func IPv4FromUint32(u uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)})
}

// Subnet returns the /bits network holding the IPv4 address a.
func Subnet(a netip.Addr, bits int) (netip.Prefix, error) {
	if !a.Is4() {
		return netip.Prefix{}, fmt.Errorf("logins: %v is not an IPv4 address", a)
	}
	if bits < 0 || bits > 32 {
		return netip.Prefix{}, fmt.Errorf("logins: prefix length %d outside 0..32", bits)
	}
	return a.Prefix(bits)
}

// Subnets returns the /8, /16 and /24 networks holding the IPv4 address a.
func Subnets(a netip.Addr) ([3]netip.Prefix, error) {
	var out [3]netip.Prefix
	for i, bits := range []int{8, 16, 24} {
		p, err := Subnet(a, bits)
		if err != nil {
			return out, err
		}
		out[i] = p
	}
	return out, nil
}
