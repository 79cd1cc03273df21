package logins

import (
	"hash/fnv"
	"net/netip"
)

// EntityKey is the 32-bit FNV-1a hash of an entity name: how models that
// hash entities into a table of vectors (IP Insights) see the entity.
func EntityKey(entity string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(entity))
	return h.Sum32()
}

// PairFeatures encodes one (entity, IPv4 address) pair as the two int32
// features models receive: the entity's key and the address as a
// big-endian integer, both reinterpreted as int32 bit patterns. ok is
// false unless ip is IPv4.
func PairFeatures(entity string, ip netip.Addr) (f [2]int32, ok bool) {
	u, ok := IPv4Uint32(ip)
	if !ok {
		return f, false
	}
	return [2]int32{int32(EntityKey(entity)), int32(u)}, true
}
