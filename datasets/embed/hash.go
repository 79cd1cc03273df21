package embed

// Hash is fastText's 32-bit FNV-1a hash of s. As in fastText, each byte is
// converted through a signed 8-bit integer, so bytes >= 0x80 are XORed
// sign-extended (0xE9 as 0xFFFFFFE9); for ASCII it equals standard FNV-1a.
func Hash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(int32(int8(s[i])))
		h *= 16777619
	}
	return h
}
