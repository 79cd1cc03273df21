package layers

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	_ G.SDOp = GatherOp{}
	_ G.Op   = ScatterAddOp{}
)

// GatherOp looks up rows of a table: (table [V, D] float32, ids int32 of
// shape S) -> out of shape S+[D], out[s, :] = table[ids[s], :], ids in row-major
// order. An id outside [0, V) makes Do fail with an error naming the id.
// Its gradient with respect to the table is a ScatterAddOp; the ids get none.
type GatherOp struct {
	IdsDims int // rank of ids (at least 1)
}

// checkShapes returns the output shape for table shape ts and ids shape is.
func (op GatherOp) checkShapes(ts, is tensor.Shape) (tensor.Shape, error) {
	if ts.Dims() != 2 {
		return nil, fmt.Errorf("%v: table has shape %v, want [V, D]", op, ts)
	}
	if op.IdsDims < 1 || is.Dims() != op.IdsDims {
		return nil, fmt.Errorf("%v: ids have shape %v, want %d dimensions", op, is, op.IdsDims)
	}
	return append(is.Clone(), ts[1]), nil
}

// Arity is 2: the table and the ids.
func (op GatherOp) Arity() int { return 2 }

// Type is Matrix a -> Tensor-r int32 -> Tensor-(r+1) a.
func (op GatherOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: a}, G.TensorType{Dims: op.IdsDims, Of: tensor.Int32}, G.TensorType{Dims: op.IdsDims + 1, Of: a})
}

// InferShape is the ids' shape followed by D.
func (op GatherOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, 2, op.IdsDims)
	if err != nil {
		return nil, err
	}
	return op.checkShapes(s[0], s[1])
}

// Do copies the looked-up rows.
func (op GatherOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(v))
	}
	ts := v[0].Shape()
	out, err := op.checkShapes(ts, v[1].Shape())
	if err != nil {
		return nil, err
	}
	table, err := float32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	ids, err := int32Input(op, 1, v[1], nil)
	if err != nil {
		return nil, err
	}
	vocab, d := ts[0], ts[1]
	if err := checkIDs(op, ids, vocab); err != nil {
		return nil, err
	}
	t, y := newFloat32(out...)
	for n, id := range ids {
		copy(y[n*d:(n+1)*d], table[int(id)*d:(int(id)+1)*d])
	}
	return t, nil
}

// checkIDs returns an error naming the first id outside [0, vocab).
func checkIDs(op fmt.Stringer, ids []int32, vocab int) error {
	for n, id := range ids {
		if id < 0 || int(id) >= vocab {
			return fmt.Errorf("%v: id %d at position %d is outside [0, %d)", op, id, n, vocab)
		}
	}
	return nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op GatherOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op GatherOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op GatherOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and ids rank.
func (op GatherOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "vigil.Gather{%d}", op.IdsDims) }

// Hashcode is the FNV-32a hash of WriteHash.
func (op GatherOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op GatherOp) String() string { return fmt.Sprintf("Gather{ids %dD}", op.IdsDims) }

// DiffWRT: differentiable in the table only.
func (op GatherOp) DiffWRT(int) []bool { return []bool{true, false} }

// SymDiff returns the table gradient, a ScatterAddOp of grad at the ids.
func (op GatherOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(inputs))
	}
	dt, err := G.ApplyOp(ScatterAddOp{Vocab: inputs[0].Shape()[0], IdsDims: op.IdsDims}, inputs[1], grad)
	if err != nil {
		return nil, fmt.Errorf("%v: table gradient: %w", op, err)
	}
	return G.Nodes{dt, nil}, nil
}

// ScatterAddOp is the table gradient of GatherOp: (ids int32 of shape S,
// dOut float32 S+[D]) -> dTable [Vocab, D], dTable[v, :] = sum of dOut[s, :]
// over the positions s with ids[s] = v (zero rows for unused ids). Ids are
// checked like GatherOp's.
type ScatterAddOp struct {
	Vocab   int // V, the table's row count
	IdsDims int // rank of ids
}

// Arity is 2: the ids and the output gradient.
func (op ScatterAddOp) Arity() int { return 2 }

// Type is Tensor-r int32 -> Tensor-(r+1) a -> Matrix a.
func (op ScatterAddOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: op.IdsDims, Of: tensor.Int32}, G.TensorType{Dims: op.IdsDims + 1, Of: a}, G.TensorType{Dims: 2, Of: a})
}

// dims checks the shapes and returns D.
func (op ScatterAddOp) dims(is, gs tensor.Shape) (int, error) {
	if op.Vocab < 1 || op.IdsDims < 1 || is.Dims() != op.IdsDims || gs.Dims() != op.IdsDims+1 || !gs[:op.IdsDims].Eq(is) {
		return 0, fmt.Errorf("%v: ids %v and gradient %v do not fit (want S and S+[D], S of %d dimensions)", op, is, gs, op.IdsDims)
	}
	return gs[op.IdsDims], nil
}

// InferShape is [Vocab, D].
func (op ScatterAddOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShapes(op, in, op.IdsDims, op.IdsDims+1)
	if err != nil {
		return nil, err
	}
	d, err := op.dims(s[0], s[1])
	if err != nil {
		return nil, err
	}
	return tensor.Shape{op.Vocab, d}, nil
}

// Do sums the gradient rows into a zeroed table.
func (op ScatterAddOp) Do(v ...G.Value) (G.Value, error) {
	if len(v) != 2 {
		return nil, fmt.Errorf("%v: got %d inputs, want 2", op, len(v))
	}
	d, err := op.dims(v[0].Shape(), v[1].Shape())
	if err != nil {
		return nil, err
	}
	ids, err := int32Input(op, 0, v[0], nil)
	if err != nil {
		return nil, err
	}
	g, err := float32Input(op, 1, v[1], nil)
	if err != nil {
		return nil, err
	}
	if err := checkIDs(op, ids, op.Vocab); err != nil {
		return nil, err
	}
	t, dt := newFloat32(op.Vocab, d)
	for n, id := range ids {
		row := dt[int(id)*d : (int(id)+1)*d]
		for j, gv := range g[n*d : (n+1)*d] {
			row[j] += gv
		}
	}
	return t, nil
}

// ReturnsPtr is false: the output is a new tensor.
func (op ScatterAddOp) ReturnsPtr() bool { return false }

// CallsExtern is false: the op runs in Go.
func (op ScatterAddOp) CallsExtern() bool { return false }

// OverwritesInput is -1: no input is overwritten.
func (op ScatterAddOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and hyperparameters.
func (op ScatterAddOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "vigil.ScatterAdd{%d,%d}", op.Vocab, op.IdsDims)
}

// Hashcode is the FNV-32a hash of WriteHash.
func (op ScatterAddOp) Hashcode() uint32 { return hashOf(op.WriteHash) }

func (op ScatterAddOp) String() string {
	return fmt.Sprintf("ScatterAdd{V=%d,ids %dD}", op.Vocab, op.IdsDims)
}
