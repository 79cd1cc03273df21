package embed

// Word boundary markers added around a word before taking its n-grams.
const (
	bow = "<"
	eow = ">"
)

// Ngrams returns the character n-grams of word as fastText extracts them:
// of "<"+word+">", every substring of minn to maxn UTF-8 characters, in
// order of start position then length, leaving out single-character
// n-grams at either boundary. Ngrams("ls", 3, 6) = ["<ls", "<ls>", "ls>"].
// It returns nil when maxn is 0 or less.
func Ngrams(word string, minn, maxn int) []string {
	var out []string
	eachNgram(bow+word+eow, minn, maxn, func(s string) { out = append(out, s) })
	return out
}

// eachNgram calls fn for every n-gram of the marked word w (see Ngrams).
func eachNgram(w string, minn, maxn int, fn func(string)) {
	if maxn <= 0 {
		return
	}
	for i := 0; i < len(w); i++ {
		if w[i]&0xC0 == 0x80 {
			continue
		}
		j := i
		for n := 1; j < len(w) && n <= maxn; n++ {
			j++
			for j < len(w) && w[j]&0xC0 == 0x80 {
				j++
			}
			if n >= minn && !(n == 1 && (i == 0 || j == len(w))) {
				fn(w[i:j])
			}
		}
	}
}

// ngramRows appends to dst the input-matrix rows of word's n-grams: nwords
// plus the n-gram's Hash modulo buckets.
func ngramRows(dst []int32, word string, minn, maxn, nwords, buckets int) []int32 {
	if buckets <= 0 {
		return dst
	}
	eachNgram(bow+word+eow, minn, maxn, func(s string) {
		dst = append(dst, int32(nwords+int(Hash(s)%uint32(buckets))))
	})
	return dst
}
