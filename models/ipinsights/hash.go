package ipinsights

// prefixBits are the address prefixes with a table each.
var prefixBits = [4]int{8, 16, 24, 32}

// hashMul is Knuth's multiplicative hashing constant.
const hashMul = 2654435761

// entityRow is the table row of an entity key.
func (m *Model) entityRow(key uint32) int32 {
	return int32(uint64(key) % uint64(m.Config.Entities))
}

// prefixRows are the rows of the /8, /16, /24 and /32 prefixes of ip in
// the stacked prefix table: prefix p of table k hashes to bucket
// (p·2654435761 + k) mod Buckets, computed modulo 2^64 (for a power-of-two
// bucket count this is the reference PyTorch model's int64 arithmetic).
func (m *Model) prefixRows(ip uint32) [4]int32 {
	var out [4]int32
	b := uint64(m.Config.Buckets)
	for k, bits := range prefixBits {
		p := uint64(ip) >> (32 - bits)
		out[k] = int32(uint64(k)*b + (p*hashMul+uint64(k))%b)
	}
	return out
}

// gatherEntity writes the entity vector of key to dst.
func (m *Model) gatherEntity(key uint32, dst []float32) {
	d := m.Config.Dim
	r := int(m.entityRow(key))
	copy(dst, m.Entity.Data()[r*d:(r+1)*d])
}

// gatherPrefixes writes the sum of ip's four prefix vectors to dst.
func (m *Model) gatherPrefixes(ip uint32, dst []float32) {
	d := m.Config.Dim
	tab := m.Prefix.Data()
	rows := m.prefixRows(ip)
	copy(dst, tab[int(rows[0])*d:][:d])
	for _, r := range rows[1:] {
		src := tab[int(r)*d:][:d]
		for j := range dst[:d] {
			dst[j] += src[j]
		}
	}
}
