package trainers

// History is a Hook that records every epoch summary, for plots and reports.
// It sees only the epochs run in this process; Result holds the full loss
// history of a resumed run.
type History struct {
	Prio   int         // hook priority; default 0
	Epochs []EpochInfo // one per epoch completed while attached
}

// Priority returns h.Prio.
func (h *History) Priority() int { return h.Prio }

// OnStep does nothing.
func (h *History) OnStep(StepInfo) error { return nil }

// OnEpoch appends e.
func (h *History) OnEpoch(e EpochInfo) error {
	h.Epochs = append(h.Epochs, e)
	return nil
}

// OnEnd does nothing.
func (h *History) OnEnd(Result) error { return nil }
