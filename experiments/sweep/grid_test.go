package sweep

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func setsOf(pts []Point) []string {
	var out []string
	for _, p := range pts {
		out = append(out, p.String())
	}
	return out
}

// TestGridOrder checks the product of a choice and an int range: 2·3
// points, first key (by space order) varying slowest.
func TestGridOrder(t *testing.T) {
	g, err := NewGrid(mustSpace(t,
		Param{Key: "b", Kind: Int, Low: 1, High: 3},
		Param{Key: "a", Kind: Choice, Choices: []any{"x", "y"}},
	))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a=x b=1", "a=x b=2", "a=x b=3", "a=y b=1", "a=y b=2", "a=y b=3"}
	if got := setsOf(g.Points()); !reflect.DeepEqual(got, want) || g.Len() != 6 {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestGridConditional checks that a conditional key multiplies only the
// points where it is active: window·3 strides + calls·4 corruptions·3
// strides = 15 points.
func TestGridConditional(t *testing.T) {
	s, err := decodeYAML(t, `
space:
  windows.stride: {choice: [10, 25, 50]}
  model.discriminator: {choice: [window, calls]}
  model.corruption: {float: [0.05, 0.5], grid: 4, when: {model.discriminator: calls}}
`)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGrid(s)
	if err != nil {
		t.Fatal(err)
	}
	got := setsOf(g.Points())
	want := []string{
		"model.discriminator=window windows.stride=10",
		"model.discriminator=window windows.stride=25",
		"model.discriminator=window windows.stride=50",
	}
	for _, c := range []string{"0.05", "0.2", "0.35", "0.5"} {
		for _, st := range []string{"10", "25", "50"} {
			want = append(want, "model.discriminator=calls model.corruption="+c+" windows.stride="+st)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGridValues checks each range's grid values: log-spaced floats,
// stepped floats without float noise, log-spaced ints, ints rounded and
// deduplicated, a constant.
func TestGridValues(t *testing.T) {
	for _, tc := range []struct {
		p    Param
		want []any
	}{
		{Param{Key: "lr", Kind: Float, Low: 1e-4, High: 1e-2, Log: true, Grid: 3}, []any{1e-4, 1e-3, 1e-2}},
		{Param{Key: "p", Kind: Float, Low: 0, High: 0.3, Step: 0.1}, []any{0.0, 0.1, 0.2, 0.3}},
		{Param{Key: "n", Kind: Int, Low: 1, High: 1000, Log: true, Grid: 4}, []any{1, 10, 100, 1000}},
		{Param{Key: "m", Kind: Int, Low: 1, High: 3, Grid: 5}, []any{1, 2, 3}}, // 1, 1.5→2, 2, 2.5→3, 3
		{Param{Key: "s", Kind: Int, Low: 0, High: 20, Step: 5}, []any{0, 5, 10, 15, 20}},
		{Param{Key: "c", Kind: Float, Low: 0.7, High: 0.7}, []any{0.7}},
	} {
		g, err := NewGrid(mustSpace(t, tc.p))
		if err != nil {
			t.Fatal(err)
		}
		var got []any
		for _, p := range g.Points() {
			got = append(got, p[0].Value)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.p.Key, got, tc.want)
		}
	}
}

// TestGridErrors checks that a continuous range without grid size is an
// error naming the key, and so is a grid too large to enumerate.
func TestGridErrors(t *testing.T) {
	_, err := NewGrid(mustSpace(t, Param{Key: "train.lr", Kind: Float, Low: 1e-4, High: 1e-2, Log: true}))
	if err == nil || !strings.Contains(err.Error(), "grid: train.lr: continuous float range needs grid: N or step") {
		t.Errorf("error %v", err)
	}
	for _, ps := range [][]Param{
		{{Key: "a", Kind: Int, Low: 0, High: 999}, {Key: "b", Kind: Int, Low: 0, High: 100}},
		{{Key: "a", Kind: Choice, Choices: []any{1, 2}}, {Key: "b", Kind: Int, Low: 0, High: 999},
			{Key: "c", Kind: Int, Low: 0, High: 99, When: []Condition{{Key: "a", Values: []any{2}}}}}, // 1000 + 100·1000
	} {
		_, err = NewGrid(mustSpace(t, ps...))
		if err == nil || !strings.Contains(err.Error(), "grid: more than 100000 points") {
			t.Errorf("error %v", err)
		}
	}
}

// TestGridExhausts samples with a growing history (failed trials count as
// taken, params possibly read back from JSON with float64 ints): every point
// once, in order, then ErrExhausted.
func TestGridExhausts(t *testing.T) {
	g, err := NewGrid(mustSpace(t,
		Param{Key: "a", Kind: Choice, Choices: []any{"x", "y"}},
		Param{Key: "b", Kind: Int, Low: 1, High: 2},
	))
	if err != nil {
		t.Fatal(err)
	}
	var history []Trial
	for i := range g.Len() {
		pt, err := g.Sample(history, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !pt.Equal(g.Points()[i]) {
			t.Fatalf("sample %d: %v, want %v", i, pt, g.Points()[i])
		}
		tr := Trial{Number: i, Params: pt, State: []State{Complete, Failed, Pruned, Running}[i]}
		b, _ := json.Marshal(tr)
		var back Trial
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		history = append([]Trial{back}, history...) // any order
	}
	if _, err := g.Sample(history, nil); !errors.Is(err, ErrExhausted) {
		t.Errorf("after %d points: %v, want ErrExhausted", g.Len(), err)
	}
	pt, err := g.Sample(history[1:], nil) // dropping a trial frees its point
	if err != nil || !pt.Equal(history[0].Params) {
		t.Errorf("got %v %v, want %v", pt, err, history[0].Params)
	}
}
