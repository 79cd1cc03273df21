package exec

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/graph"
)

var _ graph.ResidentRunner = (*Runner)(nil)

// resident is the device state of a runner holding its parameters: the
// moment buffers of the rule in use (moments[i][k] for parameter i and
// kind k, in the arena after the schedule's), the non-finite flag, and
// the host buffers Sync writes the moments back into.
type resident struct {
	rule    graph.Rule
	moments [][]Buf
	flag    Buf
	host    [][][]float32
}

// Step runs the graph and applies u on the backend; see
// graph.ResidentRunner. On a finite step two values are downloaded: the
// loss and one flag, set by NonFinite over every gradient; the update is
// queued behind them. The requested outputs stay on the backend until
// ReadOutputs. All of it runs inside one Bound of the backend.
func (r *Runner) Step(rng *rand.Rand, u graph.Update) (applied bool, err error) {
	if !r.p.HasGrads() {
		return false, errors.New("exec: step: program was compiled without gradients")
	}
	err = bound(r.e.B, func() error {
		applied, err = r.step(rng, u)
		return err
	})
	return applied, err
}

func (r *Runner) step(rng *rand.Rand, u graph.Update) (bool, error) {
	if err := r.take(u); err != nil {
		return false, err
	}
	if err := r.fillNoise(rng); err != nil {
		return false, err
	}
	if err := r.bind(); err != nil {
		return false, err
	}
	b, st := r.e.B, r.res
	if err := r.e.queue(); err != nil {
		return false, err
	}
	if err := b.Fill(st.flag, 1, 0); err != nil {
		return false, err
	}
	for _, v := range r.gradVal {
		g := r.e.buf(v)
		if err := b.NonFinite(st.flag, g, g.Len); err != nil {
			return false, err
		}
	}
	if err := r.readBack(r.loss); err != nil {
		return false, err
	}
	var flag [1]float32
	if err := b.Download(flag[:], st.flag); err != nil {
		return false, fmt.Errorf("exec: step: read the non-finite flag: %w", err)
	}
	loss, err := r.Loss()
	if err != nil {
		return false, err
	}
	if flag[0] != 0 || math.IsNaN(loss) || math.IsInf(loss, 0) {
		// Not applied: hand the gradients over for the caller's report.
		return false, r.downloadGrads()
	}
	return true, r.apply(u)
}

// take uploads the parameters and u's moments when the runner does not
// hold them yet, allocating the moment buffers and the flag after the
// schedule's arena; it checks that u matches the parameters and the rule
// the runner holds.
func (r *Runner) take(u graph.Update) error {
	params := r.p.Params()
	k := u.Rule.Moments()
	switch {
	case u.Rule < graph.RuleAdam || u.Rule > graph.RuleMomentum:
		return fmt.Errorf("exec: step: unknown update rule %d", u.Rule)
	case len(u.Moments) != len(params):
		return fmt.Errorf("exec: step: moments for %d parameters, the program has %d", len(u.Moments), len(params))
	}
	for i, p := range params {
		if len(u.Moments[i]) != k {
			return fmt.Errorf("exec: step: parameter %q has %d moment tensors, the rule keeps %d", p.Name, len(u.Moments[i]), k)
		}
		for _, m := range u.Moments[i] {
			if len(m) != p.Size() {
				return fmt.Errorf("exec: step: a moment of %q has %d values, want %d", p.Name, len(m), p.Size())
			}
		}
	}
	if r.res != nil {
		if u.Rule != r.res.rule {
			return errors.New("exec: step: the update rule changed while the runner holds the parameters (Sync and Release first)")
		}
		r.res.host = u.Moments
		return nil
	}
	st, err := r.allocResident(u.Rule)
	if err != nil {
		return err
	}
	if err := r.uploadParams(); err != nil {
		return err
	}
	for i := range params {
		for j, m := range u.Moments[i] {
			if err := r.e.B.Upload(st.moments[i][j], m); err != nil {
				return fmt.Errorf("exec: step: upload moments of %q: %w", params[i].Name, err)
			}
		}
	}
	st.host = u.Moments
	r.res = st
	return nil
}

// allocResident lays out the flag and the moments of rule in the arena
// after the schedule's (reserving it may lose the arena's content, so it
// happens before anything is uploaded).
func (r *Runner) allocResident(rule graph.Rule) (*resident, error) {
	st := &resident{rule: rule}
	off := alignUp(1)
	params := r.p.Params()
	for _, p := range params {
		off += rule.Moments() * alignUp(p.Size())
	}
	extra, err := r.e.Extra(off)
	if err != nil {
		return nil, err
	}
	st.flag = extra.At(0, 1)
	off = alignUp(1)
	for _, p := range params {
		ms := make([]Buf, rule.Moments())
		for j := range ms {
			ms[j] = extra.At(off, p.Size())
			off += alignUp(p.Size())
		}
		st.moments = append(st.moments, ms)
	}
	return st, nil
}

// apply queues u's update of every parameter.
func (r *Runner) apply(u graph.Update) error {
	b := r.e.B
	for i, v := range r.gradVal {
		g := r.e.buf(v)
		p, err := r.paramBuf(i)
		if err != nil {
			return err
		}
		ms := r.res.moments[i]
		switch u.Rule {
		case graph.RuleAdam:
			err = b.Adam(p, ms[0], ms[1], g, g.Len, u.LR, u.Beta1, u.Beta2, u.Eps)
		case graph.RuleSGD:
			err = b.SGD(p, g, g.Len, u.LR)
		case graph.RuleMomentum:
			err = b.SGDMomentum(p, ms[0], g, g.Len, u.LR, u.Momentum, u.Nesterov)
		}
		if err != nil {
			return fmt.Errorf("exec: update %q: %w", r.p.Params()[i].Name, err)
		}
	}
	return nil
}

// Sync downloads the parameters and moments the runner holds into the host
// copies; see graph.ResidentRunner. Without them it does nothing.
func (r *Runner) Sync() error {
	if r.res == nil {
		return nil
	}
	return bound(r.e.B, r.sync)
}

func (r *Runner) sync() error {
	params := r.p.Params()
	for i, p := range params {
		pb, err := r.paramBuf(i)
		if err != nil {
			return err
		}
		if err := r.e.B.Download(p.Data(), pb); err != nil {
			return fmt.Errorf("exec: sync %q: %w", p.Name, err)
		}
		for j, m := range r.res.host[i] {
			if err := r.e.B.Download(m, r.res.moments[i][j]); err != nil {
				return fmt.Errorf("exec: sync moments of %q: %w", p.Name, err)
			}
		}
	}
	return r.e.B.Synchronize()
}

// Release forgets the device copies; see graph.ResidentRunner.
func (r *Runner) Release() { r.res = nil }

// paramBuf is the arena buffer of parameter i.
func (r *Runner) paramBuf(i int) (Buf, error) {
	v, err := r.e.value(r.p.ParamNodes()[i])
	if err != nil {
		return Buf{}, fmt.Errorf("exec: parameter %q: %w", r.p.Params()[i].Name, err)
	}
	return r.e.buf(v), nil
}

// uploadParams uploads every parameter from the host.
func (r *Runner) uploadParams() error {
	for i, p := range r.p.Params() {
		pb, err := r.paramBuf(i)
		if err != nil {
			return err
		}
		if err := r.e.B.Upload(pb, p.Data()); err != nil {
			return fmt.Errorf("exec: upload %q: %w", p.Name, err)
		}
	}
	return nil
}
