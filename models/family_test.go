package models

import (
	"strings"
	"testing"
)

func TestExamplesCheckAndLayout(t *testing.T) {
	in := Input{FloatShape: []int{2, 3}, IntShape: []int{4}, Vocab: 10}
	ex := Examples{Input: in, N: 2, Float: make([]float32, 12), Int: []int32{1, 2, 3, 4, 5, 6, 7, 9}}
	if err := ex.Check(); err != nil {
		t.Fatal(err)
	}
	if got := ex.IntAt(1); got[0] != 5 || len(got) != 4 {
		t.Fatalf("IntAt(1) = %v", got)
	}
	if len(ex.FloatAt(1)) != 6 || in.FloatSize() != 6 || in.IntSize() != 4 {
		t.Fatal("sizes")
	}
	ex.Int[7] = 10
	if err := ex.Check(); err == nil || !strings.Contains(err.Error(), "example 1: id 10") {
		t.Fatalf("id out of the vocabulary: %v", err)
	}
	ex.Float = ex.Float[:11]
	if err := ex.Check(); err == nil {
		t.Fatal("short float storage accepted")
	}
	if err := ex.Matches(Input{FloatShape: []int{3, 2}, IntShape: []int{4}}); err == nil {
		t.Fatal("another layout matched")
	}
}

// family is a registrable stand-in: only its kind matters here.
type family struct {
	Family
	kind string
}

func (f family) Kind() string { return f.kind }

func TestRegistry(t *testing.T) {
	r, err := NewRegistry(family{kind: "b"}, family{kind: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Kinds(), ","); got != "a,b" {
		t.Fatalf("kinds %s", got)
	}
	if _, err := r.Lookup("c"); err == nil || !strings.Contains(err.Error(), "known: a, b") {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := NewRegistry(family{kind: "a"}, family{kind: "a"}); err == nil {
		t.Fatal("two families of one kind registered")
	}
}
