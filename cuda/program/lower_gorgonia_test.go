package program

import (
	"reflect"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestGorgoniaTableMatchesGorgonia builds a graph using every built-in op of
// the lowering table, including those that gorgonia.Grad inserts, and
// checks that each table entry still names an op type of the pinned
// gorgonia with the fields, of the kinds, that its lowering reads, and that
// the graph lowers.
func TestGorgoniaTableMatchesGorgonia(t *testing.T) {
	g := G.NewGraph()
	xv := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, -2, 3, 0.5, 2, -1}))
	x := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 3), G.WithName("x"), G.WithValue(xv))
	wv := tensor.New(tensor.WithShape(3, 2), tensor.WithBacking([]float32{0.1, 0.2, -0.3, 0.4, 0.5, -0.6}))
	w := G.NewMatrix(g, tensor.Float32, G.WithShape(3, 2), G.WithName("w"), G.WithValue(wv))
	h := G.Must(G.Mul(x, w))                          // linAlgBinOp
	h = G.Must(G.Tanh(h))                             // elemUnaryOp
	h = G.Must(G.Add(h, G.NewConstant(float32(0.5)))) // elemBinOp, constantScalar
	h = G.Must(G.Transpose(h, 1, 0))                  // transposeOp
	h = G.Must(G.Reshape(h, tensor.Shape{4}))         // reshapeOp
	c := G.NewConstant(tensor.New(tensor.WithShape(4), tensor.WithBacking([]float32{1, 2, 3, 4})))
	h = G.Must(G.HadamardProd(h, c))           // constantTensor
	n := G.Must(G.SizeOf(0, h))                // sizeOp
	m := G.Must(G.Max(x, 1))                   // maxOp
	loss := G.Must(G.Div(G.Must(G.Sum(h)), n)) // sumOp
	loss = G.Must(G.Add(loss, G.Must(G.Sum(m))))
	sl := G.Must(G.Slice(x, nil, G.S(1, 3)))         // sliceOp
	cc := G.Must(G.Concat(1, sl, G.Must(G.Tanh(x)))) // concatOp
	loss = G.Must(G.Add(loss, G.Must(G.Sum(G.Must(G.Square(cc))))))
	if _, err := G.Grad(loss, x, w); err != nil { // repeatOp, sliceIncrOp, among others
		t.Fatal(err)
	}
	// Iop is not differentiable: a separate root.
	G.NewUniqueNode(G.WithType(x.Type()), G.WithShape(2, 3), G.WithChildren(G.Nodes{x}), G.In(g), G.WithOp(G.Iop{}))
	seen := map[string]G.Op{}
	for _, node := range g.AllNodes() {
		if op := node.Op(); op != nil {
			if name, ok := gorgoniaName(op); ok {
				seen[name] = op
			}
		}
	}
	for name, fields := range gorgoniaOps {
		op, ok := seen[name]
		if !ok {
			t.Errorf("no gorgonia op of type %q in the graph: did the pinned gorgonia rename it?", name)
			continue
		}
		v := reflect.ValueOf(op)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		for _, f := range fields {
			fv := v.FieldByName(f.Name)
			if !fv.IsValid() {
				t.Errorf("%s has no field %q", name, f.Name)
				continue
			}
			if k := fv.Kind(); k != f.Kind && !(f.Kind == reflect.Int && isInt(k)) {
				t.Errorf("%s.%s is a %v, want %v", name, f.Name, k, f.Kind)
			}
		}
	}
	for _, name := range []string{"sliceOp", "sliceIncrOp"} {
		if _, ok := seen[name].(slicer); !ok {
			t.Errorf("%s has no IsSlice method", name)
		}
	}
	for name := range seen {
		if _, ok := gorgoniaOps[name]; !ok {
			t.Errorf("the graph holds gorgonia op %q, which is not in the lowering table", name)
		}
	}
	if _, err := Lower(g); err != nil {
		t.Fatal(err)
	}
}

func isInt(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}
