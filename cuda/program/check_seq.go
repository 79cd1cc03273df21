package program

// checkSeq verifies the shapes of the sequence-model kinds: embedding
// lookups, softmax cross-entropy, the LSTM and segments.
func checkSeq(vals []Value, in Instr) bool {
	out := vals[in.Out]
	arg := func(i int) Value { return vals[in.In[i]] }
	switch in.Kind {
	case KindGather: // table [V, D], ids S -> S+[D]
		t, ids := arg(0), arg(1)
		return t.Shape.Dims() == 2 && t.Shape[0] >= 1 && out.Size == ids.Size*t.Shape[1]
	case KindScatterAdd: // ids S, g S+[D] -> [V, D]
		ids, g := arg(0), arg(1)
		return out.Shape.Dims() == 2 && out.Shape[0] >= 1 && g.Size == ids.Size*out.Shape[1]
	case KindSoftmaxXent: // logits [N, V], targets [N] -> [N]
		l, t := arg(0), arg(1)
		return l.Shape.Dims() == 2 && t.Size == l.Shape[0] && out.Size == l.Shape[0]
	case KindSoftmaxXentGrad: // logits [N, V], targets [N], dy [N] -> [N, V]
		l, t, dy := arg(0), arg(1), arg(2)
		return l.Shape.Dims() == 2 && t.Size == l.Shape[0] && dy.Size == l.Shape[0] && out.Size == l.Size
	case KindTargetProb:
		return out.Size == arg(0).Size
	case KindSegment:
		return in.Offset >= 0 && in.Offset+out.Size <= arg(0).Size
	case KindLSTMForward, KindLSTMBackward:
		l := in.LSTM
		if l.T < 1 || l.B < 1 || l.In < 1 || l.H < 1 ||
			arg(0).Size != l.Rows()*l.In || arg(1).Size != 4*l.H*l.In || arg(2).Size != 4*l.H*l.H {
			return false
		}
		if in.Kind == KindLSTMForward {
			return arg(3).Size == 4*l.H && out.Size == l.WorkspaceLen()
		}
		return arg(3).Size == l.WorkspaceLen() && arg(4).Size == l.Rows()*l.H && out.Size == l.GradLen()
	}
	return false
}
