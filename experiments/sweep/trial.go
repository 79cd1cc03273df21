package sweep

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// State is where a trial stands.
type State string

// The states of a trial.
const (
	Running  State = "running"  // sampled, being trained
	Complete State = "complete" // finished with an objective Value
	Pruned   State = "pruned"   // stopped early by a Pruner
	Failed   State = "failed"   // stopped by an error (Trial.Error)
)

// Direction says whether lower or higher objective values are better.
type Direction string

// The directions; the zero Direction means Minimize.
const (
	Minimize Direction = "minimize"
	Maximize Direction = "maximize"
)

// Validate reports an unknown direction.
func (d Direction) Validate() error {
	switch d {
	case "", Minimize, Maximize:
		return nil
	}
	return fmt.Errorf("direction %q: want minimize or maximize", string(d))
}

// Better reports whether a is strictly better than b; NaN is never better
// and anything else is better than NaN.
func (d Direction) Better(a, b float64) bool {
	if math.IsNaN(a) {
		return false
	}
	if math.IsNaN(b) {
		return true
	}
	if d == Maximize {
		return a > b
	}
	return a < b
}

// sign maps d's objective to a minimised one.
func (d Direction) sign() float64 {
	if d == Maximize {
		return -1
	}
	return 1
}

// Trial is one sampled point and what became of it.
type Trial struct {
	// Number is the trial's index in its sweep, from 0.
	Number int   `json:"number"`
	Params Point `json:"params"`
	State  State `json:"state"`
	// Value is the objective, meaningful when State is Complete.
	Value float64 `json:"value"`
	// Intermediate holds the values reported per step (epoch) for pruning.
	Intermediate map[int]float64 `json:"intermediate,omitempty"`
	Start        time.Time       `json:"start,omitzero"`
	End          time.Time       `json:"end,omitzero"`
	// Error says why a Failed trial failed.
	Error string `json:"error,omitempty"`
}

// Report records value as the trial's intermediate value at step.
func (t *Trial) Report(step int, value float64) {
	if t.Intermediate == nil {
		t.Intermediate = make(map[int]float64)
	}
	t.Intermediate[step] = value
}

// LastStep is the largest step with an intermediate value, if any.
func (t *Trial) LastStep() (int, bool) {
	steps := t.steps()
	if len(steps) == 0 {
		return 0, false
	}
	return steps[len(steps)-1], true
}

// steps are the reported steps, ascending.
func (t *Trial) steps() []int {
	steps := make([]int, 0, len(t.Intermediate))
	for s := range t.Intermediate {
		steps = append(steps, s)
	}
	slices.Sort(steps)
	return steps
}

// Best returns the best Complete trial with a non-NaN Value (the lowest
// Number among equals), and false when there is none.
func Best(trials []Trial, dir Direction) (Trial, bool) {
	best := -1
	for i := range trials {
		t := &trials[i]
		if t.State != Complete || math.IsNaN(t.Value) {
			continue
		}
		if best < 0 || dir.Better(t.Value, trials[best].Value) ||
			(t.Value == trials[best].Value && t.Number < trials[best].Number) {
			best = i
		}
	}
	if best < 0 {
		return Trial{}, false
	}
	return trials[best], true
}

// jsonFloat writes NaN and ±Inf, which JSON numbers cannot hold, as the
// strings "NaN", "+Inf" and "-Inf".
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return json.Marshal(strconv.FormatFloat(x, 'g', -1, 64))
	}
	return json.Marshal(x)
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("value %q: %w", s, err)
		}
		*f = jsonFloat(x)
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = jsonFloat(x)
	return nil
}

// trialJSON is Trial with floats that survive NaN and ±Inf.
type trialJSON struct {
	Number       int               `json:"number"`
	Params       Point             `json:"params"`
	State        State             `json:"state"`
	Value        jsonFloat         `json:"value"`
	Intermediate map[int]jsonFloat `json:"intermediate,omitempty"`
	Start        time.Time         `json:"start,omitzero"`
	End          time.Time         `json:"end,omitzero"`
	Error        string            `json:"error,omitempty"`
}

// MarshalJSON writes the trial with NaN and ±Inf values as strings.
func (t Trial) MarshalJSON() ([]byte, error) {
	j := trialJSON{Number: t.Number, Params: t.Params, State: t.State, Value: jsonFloat(t.Value),
		Start: t.Start, End: t.End, Error: t.Error}
	if t.Intermediate != nil {
		j.Intermediate = make(map[int]jsonFloat, len(t.Intermediate))
		for s, v := range t.Intermediate {
			j.Intermediate[s] = jsonFloat(v)
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes. Param values come back as
// JSON gives them (numbers as float64); Space.Canonical restores their types.
func (t *Trial) UnmarshalJSON(b []byte) error {
	var j trialJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = Trial{Number: j.Number, Params: j.Params, State: j.State, Value: float64(j.Value),
		Start: j.Start, End: j.End, Error: j.Error}
	if j.Intermediate != nil {
		t.Intermediate = make(map[int]float64, len(j.Intermediate))
		for s, v := range j.Intermediate {
			t.Intermediate[s] = float64(v)
		}
	}
	return nil
}
