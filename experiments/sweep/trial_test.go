package sweep

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
)

// TestBest checks that Best takes only Complete, non-NaN trials, honours
// the direction, breaks ties by the lower Number, and reports none.
func TestBest(t *testing.T) {
	trials := []Trial{
		{Number: 0, State: Complete, Value: 0.7},
		{Number: 1, State: Pruned, Value: 0.1},
		{Number: 2, State: Failed, Value: 0.05},
		{Number: 3, State: Running, Value: 0.01},
		{Number: 5, State: Complete, Value: 0.3},
		{Number: 4, State: Complete, Value: 0.3},
		{Number: 6, State: Complete, Value: math.NaN()},
		{Number: 7, State: Complete, Value: 0.9},
	}
	for _, tc := range []struct {
		dir  Direction
		want int
	}{{Minimize, 4}, {"", 4}, {Maximize, 7}} {
		got, ok := Best(trials, tc.dir)
		if !ok || got.Number != tc.want {
			t.Errorf("%q: best #%d (%v), want #%d", tc.dir, got.Number, ok, tc.want)
		}
	}
	if _, ok := Best(trials[1:4], Minimize); ok {
		t.Error("no complete trial: want none")
	}
	if err := Direction("up").Validate(); err == nil {
		t.Error(`Direction("up") validated`)
	}
}

// TestTrialJSON round-trips a trial, NaN and ±Inf included, and checks
// LastStep and the JSON field names.
func TestTrialJSON(t *testing.T) {
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tr := Trial{Number: 3, Params: Point{{"a", "x"}, {"b", 2.5}}, State: Failed, Value: math.NaN(),
		Start: start, End: start.Add(time.Minute), Error: "diverged"}
	tr.Report(1, 0.5)
	tr.Report(2, math.Inf(1))
	tr.Report(3, math.NaN())
	if s, ok := tr.LastStep(); !ok || s != 3 {
		t.Errorf("LastStep %d %v, want 3", s, ok)
	}
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"number", "params", "state", "value", "intermediate", "start", "end", "error"} {
		if _, ok := fields[f]; !ok {
			t.Errorf("JSON %s lacks %q", b, f)
		}
	}
	var back Trial
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back.Value) || !math.IsInf(back.Intermediate[2], 1) || !math.IsNaN(back.Intermediate[3]) ||
		back.Intermediate[1] != 0.5 || back.Number != 3 || back.State != Failed || back.Error != "diverged" ||
		!back.Start.Equal(start) || !back.End.Equal(tr.End) || !back.Params.Equal(tr.Params) {
		t.Errorf("round trip: %s gave %+v", b, back)
	}
	empty, _ := json.Marshal(Trial{Number: 1, State: Running})
	if want := `{"number":1,"params":null,"state":"running","value":0}`; string(empty) != want {
		t.Errorf("zero fields: %s, want %s", empty, want)
	}
	var zero Trial
	if _, ok := zero.LastStep(); ok {
		t.Error("LastStep of no reports")
	}
	if !reflect.DeepEqual(back.Params, Point{{"a", "x"}, {"b", 2.5}}) {
		t.Errorf("params %#v", back.Params)
	}
}
