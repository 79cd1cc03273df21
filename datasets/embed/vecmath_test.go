package embed

import (
	"reflect"
	"testing"
)

func TestVecMath(t *testing.T) {
	a := []float32{1, 2, 3, 4, 5}
	b := []float32{2, 0, 1, 1, 2, 99}
	if got := dot(a, b); got != 19 {
		t.Fatalf("dot = %v, want 19", got)
	}
	dst := []float32{1, 1, 1, 1, 1}
	add(dst, a)
	if !reflect.DeepEqual(dst, []float32{2, 3, 4, 5, 6}) {
		t.Fatalf("add = %v", dst)
	}
	scale(dst, 0.5)
	if !reflect.DeepEqual(dst, []float32{1, 1.5, 2, 2.5, 3}) {
		t.Fatalf("scale = %v", dst)
	}
	o := []float32{1, 2, 3, 4, 5}
	h := []float32{1, 1, 1, 1, 2}
	g := []float32{0, 0, 0, 0, 1}
	gradStep(o, h, g, 0.5)
	if !reflect.DeepEqual(g, []float32{0.5, 1, 1.5, 2, 3.5}) {
		t.Fatalf("gradStep grad = %v", g)
	}
	if !reflect.DeepEqual(o, []float32{1.5, 2.5, 3.5, 4.5, 6}) {
		t.Fatalf("gradStep row = %v", o)
	}
}
