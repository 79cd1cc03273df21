package embed

import (
	"bytes"
	"testing"
)

func TestNewVectorsRoundTripsAndRejectsBadInput(t *testing.T) {
	v, err := NewVectors([]string{"ls", "cat"}, [][]float32{{1, 0}, {0.5, 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := v.WriteVec(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadVec(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := back.Vector("cat"); !ok || got[0] != 0.5 || got[1] != 0.5 {
		t.Fatalf("cat = %v, %v", got, ok)
	}
	if n := back.Nearest([]float32{0.9, 0.1}, 1); n[0].Word != "ls" {
		t.Fatalf("nearest to (0.9, 0.1) = %v, want ls", n)
	}
	for _, bad := range []struct {
		w []string
		v [][]float32
	}{
		{[]string{"a"}, nil},
		{[]string{"a", "a"}, [][]float32{{1}, {2}}},
		{[]string{"a b"}, [][]float32{{1}}},
		{[]string{"a", "b"}, [][]float32{{1}, {1, 2}}},
	} {
		if _, err := NewVectors(bad.w, bad.v); err == nil {
			t.Errorf("NewVectors(%q) accepted", bad.w)
		}
	}
}
