package jsondoctest

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestPoints(t *testing.T) {
	p := Points(3, 50, 4, -2, 6)
	if len(p) != 50 || len(p[0]) != 4 {
		t.Fatalf("%d points of %d features, want 50 of 4", len(p), len(p[0]))
	}
	for _, row := range p {
		for _, v := range row {
			if v < -2 || v > 6 {
				t.Fatalf("%v outside [-2, 6]", v)
			}
		}
	}
	if !reflect.DeepEqual(p, Points(3, 50, 4, -2, 6)) {
		t.Error("the same seed gives other points")
	}
}

type pair struct {
	A float64 `json:"a"`
	B []int   `json:"b"`
}

func TestRoundTripAndEdit(t *testing.T) {
	var back pair
	RoundTrip(t, pair{A: 0.1, B: []int{1, 2}}, &back)
	if back.A != 0.1 || !reflect.DeepEqual(back.B, []int{1, 2}) {
		t.Errorf("restored %+v", back)
	}
	b := Edit(t, []byte(`{"a":1,"b":[1,2]}`), func(d map[string]any) {
		delete(d, "a")
		d["b"].([]any)[1] = nil
	})
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"b": []any{1.0, nil}}; !reflect.DeepEqual(got, want) {
		t.Errorf("edited %s, want %v", b, want)
	}
}
