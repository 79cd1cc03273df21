package program

// LSTM holds the sizes of KindLSTMForward and KindLSTMBackward: T steps of
// B sequences, In inputs and H hidden units per step.
type LSTM struct {
	T, B, In, H int
}

// Rows is T·B, the row count of the per-step matrices stacked over time.
func (l LSTM) Rows() int { return l.T * l.B }

// The workspace of KindLSTMForward: planes h, c and tanh c of T·B·H values
// each, then the gate activations [T, B, 4H].
func (l LSTM) WorkspaceLen() int { return 7 * l.Rows() * l.H }
func (l LSTM) WsC() int          { return l.Rows() * l.H }
func (l LSTM) WsTanhC() int      { return 2 * l.Rows() * l.H }
func (l LSTM) WsGates() int      { return 3 * l.Rows() * l.H }

// LSTMPart is one segment of KindLSTMBackward's packed output.
type LSTMPart int

// The segments of the packed LSTM gradient, in order.
const (
	LSTMDX    LSTMPart = iota // [T, B, In]
	LSTMDWih                  // [4H, In]
	LSTMDWhh                  // [4H, H]
	LSTMDBias                 // [4H]
	LSTMDZ                    // [T, B, 4H], gradient of the gate pre-activations
	LSTMDH0                   // [B, H], gradient of the initial hidden state
	LSTMDC0                   // [B, H], gradient of the initial cell state
	lstmParts
)

// PartLen is the number of values of segment p.
func (l LSTM) PartLen(p LSTMPart) int {
	switch p {
	case LSTMDX:
		return l.Rows() * l.In
	case LSTMDWih:
		return 4 * l.H * l.In
	case LSTMDWhh:
		return 4 * l.H * l.H
	case LSTMDBias:
		return 4 * l.H
	case LSTMDZ:
		return l.Rows() * 4 * l.H
	case LSTMDH0, LSTMDC0:
		return l.B * l.H
	}
	return 0
}

// GradOffset is where segment p starts in the packed gradient.
func (l LSTM) GradOffset(p LSTMPart) int {
	off := 0
	for q := LSTMPart(0); q < p; q++ {
		off += l.PartLen(q)
	}
	return off
}

// GradLen is the length of the packed gradient.
func (l LSTM) GradLen() int { return l.GradOffset(lstmParts) }
