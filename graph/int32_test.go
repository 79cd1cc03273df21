package graph

import (
	"strings"
	"testing"

	"gorgonia.org/tensor"
)

func TestInt32Input(t *testing.T) {
	b := NewBuilder(NewRegistry(), Eval)
	n := b.Int32Input("ids", 2, 3)
	if n.Dtype() != tensor.Int32 || !n.Shape().Eq(tensor.Shape{2, 3}) {
		t.Fatalf("node %v of %v, want [2 3] int32", n.Shape(), n.Dtype())
	}
	got, err := Int32s(n)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if v != 0 {
			t.Fatalf("value %d is %d, want a zero value", i, v)
		}
	}
	want := []int32{4, -1, 7, 0, 340, 2}
	if err := SetInt32s(n, want); err != nil {
		t.Fatal(err)
	}
	if got, err = Int32s(n); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("value %d is %d, want %d", i, got[i], want[i])
		}
	}
	v := b.Int32Input("v", 4)
	if v.Dims() != 1 || v.Shape()[0] != 4 {
		t.Fatalf("vector input has shape %v", v.Shape())
	}
}

func TestInt32InputErrors(t *testing.T) {
	b := NewBuilder(NewRegistry(), Eval)
	n := b.Int32Input("ids", 3)
	if err := SetInt32s(n, []int32{1, 2}); err == nil || !strings.Contains(err.Error(), "holds 3 values, got 2") {
		t.Errorf("short data: got %v", err)
	}
	f := b.Input("x", 3)
	if err := SetInt32s(f, []int32{1, 2, 3}); err == nil || !strings.Contains(err.Error(), "want int32") {
		t.Errorf("float node: got %v", err)
	}
	if _, err := Float32s(n); err == nil {
		t.Errorf("Float32s of an int32 node: no error")
	}
}
