package embed

import (
	"hash/fnv"
	"reflect"
	"testing"
)

func TestHash(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
	}{
		{"", 2166136261},     // offset basis
		{"a", 0xe40c292c},    // published FNV-1a test vector
		{"<ls>", 1654562916}, // computed by hand from the definition
		{"<gcc", 3505086850},
		// bytes >= 0x80 are sign-extended: 0xC3 is XORed as 0xFFFFFFC3
		{"<\u00e9>", 1002806231},
		{"\xff", 4193493326},
	}
	for _, tc := range tests {
		if got := Hash(tc.in); got != tc.want {
			t.Errorf("Hash(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestHashMatchesFNVForASCII(t *testing.T) {
	for _, s := range []string{"ls", "<make>", "netscape", "xrdb~"} {
		f := fnv.New32a()
		f.Write([]byte(s))
		if Hash(s) != f.Sum32() {
			t.Errorf("Hash(%q) = %d, hash/fnv %d", s, Hash(s), f.Sum32())
		}
	}
	f := fnv.New32a()
	f.Write([]byte("\xff"))
	if Hash("\xff") == f.Sum32() {
		t.Error("byte 0xff hashed without sign extension")
	}
}

func TestNgrams(t *testing.T) {
	tests := []struct {
		word       string
		minn, maxn int
		want       []string
	}{
		{"ls", 3, 6, []string{"<ls", "<ls>", "ls>"}},
		{"gcc", 3, 6, []string{"<gc", "<gcc", "<gcc>", "gcc", "gcc>", "cc>"}},
		{"make", 3, 4, []string{"<ma", "<mak", "mak", "make", "ake", "ake>", "ke>"}},
		{"ab", 1, 2, []string{"<a", "a", "ab", "b", "b>"}},      // no single-character n-gram at a boundary
		{"\u00e9", 1, 1, []string{"\u00e9"}},                    // a two-byte character counts as one
		{"\u00e9t", 2, 2, []string{"<\u00e9", "\u00e9t", "t>"}}, // n-grams do not split characters
		{"ls", 3, 0, nil},
	}
	for _, tc := range tests {
		if got := Ngrams(tc.word, tc.minn, tc.maxn); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Ngrams(%q, %d, %d) = %q, want %q", tc.word, tc.minn, tc.maxn, got, tc.want)
		}
	}
}

func TestNgramRows(t *testing.T) {
	got := ngramRows([]int32{7}, "ls", 3, 6, 10, 2_000_000)
	want := []int32{7, 10 + int32(Hash("<ls")%2_000_000), 10 + 562916, 10 + int32(Hash("ls>")%2_000_000)}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ngramRows = %v, want %v", got, want)
	}
	if got := ngramRows(nil, "ls", 3, 6, 10, 0); got != nil {
		t.Fatalf("no buckets: got %v", got)
	}
}
