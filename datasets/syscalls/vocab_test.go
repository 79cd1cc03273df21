package syscalls

import "testing"

// A vocabulary rebuilt from its keys gives the same ids, and unknown
// calls the unknown id; malformed key lists are refused.
func TestVocabFromKeys(t *testing.T) {
	v := NewVocab()
	for _, k := range []string{"open", "read", "open", "close"} {
		v.Add(k)
	}
	w, err := VocabFromKeys(v.Keys())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"open", "read", "close", "mmap"} {
		if w.ID(k) != v.ID(k) {
			t.Fatalf("%s: id %d, want %d", k, w.ID(k), v.ID(k))
		}
	}
	if w.ID("mmap") != Unknown || w.Len() != 4 {
		t.Fatalf("unknown %d, len %d", w.ID("mmap"), w.Len())
	}
	for _, bad := range [][]string{nil, {"open"}, {"", "a", "a"}, {"", ""}} {
		if _, err := VocabFromKeys(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
