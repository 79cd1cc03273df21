package datasets

import (
	"reflect"
	"testing"
)

func TestVocab(t *testing.T) {
	v := BuildVocab([][]string{{"vi", "ls", "cat", "ls"}, {"cat", "make", "ls"}})
	if got, want := v.Words(), []string{"ls", "cat", "vi", "make"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Words = %q, want %q", got, want)
	}
	tests := []struct {
		word  string
		id    int
		ok    bool
		count int
	}{
		{"ls", 0, true, 3},
		{"cat", 1, true, 2},
		{"vi", 2, true, 1},
		{"make", 3, true, 1},
		{"gcc", 0, false, 0},
	}
	for _, tc := range tests {
		id, ok := v.ID(tc.word)
		if id != tc.id || ok != tc.ok || v.Count(tc.word) != tc.count {
			t.Errorf("%s: ID = %d, %v; Count = %d", tc.word, id, ok, v.Count(tc.word))
		}
	}
	table := v.Table(func(c string) []float32 { return []float32{float32(len(c))} })
	if !reflect.DeepEqual(table, [][]float32{{2}, {3}, {2}, {4}}) {
		t.Fatalf("Table = %v", table)
	}
}
