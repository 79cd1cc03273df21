package masquerade

import (
	"slices"
	"testing"
)

// With windows.unseen reserved, a user's own commands keep their vectors
// and every command the user never typed gets the corner of [0, 1]^dim
// opposite the mean of the user's training commands.
func TestReservedLookup(t *testing.T) {
	tab := &commandTable{words: []string{"ls", "cd", "vi", "gcc"}, index: map[string]int{"ls": 0, "cd": 1, "vi": 2, "gcc": 3},
		vecs: [][]float32{{0.1, 0.9, 0.4}, {0.3, 0.7, 0.8}, {0.2, 0.8, 0.5}, {0.9, 0.1, 0.5}}}
	// Training commands ls, ls, cd: mean (0.1+0.1+0.3)/3 = 0.167, 0.833, 0.533.
	lookup := reservedLookup(tab, []string{"ls", "ls", "cd"})
	if got := lookup("cd"); !slices.Equal(got, tab.vecs[1]) {
		t.Fatalf("cd: %v", got)
	}
	want := []float32{1, 0, 0}
	for _, c := range []string{"vi", "gcc"} {
		if got := lookup(c); !slices.Equal(got, want) {
			t.Fatalf("%s: %v, want the reserved %v", c, got, want)
		}
	}
}
