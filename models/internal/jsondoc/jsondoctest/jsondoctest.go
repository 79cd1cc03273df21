// Package jsondoctest holds the test helpers shared by the tests of the
// saved-model documents of svm, ocsvm and forest. Only tests import it.
package jsondoctest

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// Points returns n points of d features uniform in [lo, hi], drawn from a
// PCG seeded with (seed, seed).
func Points(seed uint64, n, d int, lo, hi float64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, seed))
	q := make([][]float64, n)
	for i := range q {
		q[i] = make([]float64, d)
		for j := range q[i] {
			q[i][j] = lo + (hi-lo)*rng.Float64()
		}
	}
	return q
}

// RoundTrip saves v with encoding/json, restores it into back, and checks
// that saving back gives the same bytes.
func RoundTrip(t testing.TB, v, back any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, b) {
		t.Errorf("saving the restored model gives other bytes:\n%s\n%s", again, b)
	}
}

// Edit decodes the document b, applies f to it and encodes it again.
func Edit(t testing.TB, b []byte, f func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	f(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// CheckError reports an error through t unless err wraps target and its
// message mentions want.
func CheckError(t testing.TB, err, target error, want string) {
	t.Helper()
	if err == nil || !errors.Is(err, target) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want one wrapping %q that mentions %q", err, target, want)
	}
}
