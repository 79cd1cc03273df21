package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCSV writes a small two-class set in tabular_sklearn.py's format:
// a label column, then integer hundredths.
func writeCSV(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("label,f0,f1,f2\n")
	for i := range 60 {
		lab := i%5 == 0
		c := -50
		if lab {
			c = 80
		}
		l := 0
		if lab {
			l = 1
		}
		fmt.Fprintf(&b, "%d,%d,%d,%d\n", l, c+(i*37)%101-50, c+(i*53)%89-44, (i*71)%113-56)
	}
	path := filepath.Join(t.TempDir(), "small.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadCSV(t *testing.T) {
	x, y, err := readCSV(writeCSV(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(x) != 60 || len(y) != 60 || len(x[0]) != 3 {
		t.Fatalf("got %d rows, %d labels, %d features", len(x), len(y), len(x[0]))
	}
	// Row 0: label 1, f0 = 80 + 0 - 50 = 30 hundredths.
	if !y[0] || x[0][0] != 0.3 {
		t.Errorf("row 0: label %v, f0 %v; want true, 0.3", y[0], x[0][0])
	}
}

func TestRunWritesOutputs(t *testing.T) {
	data := writeCSV(t)
	for _, tc := range []struct {
		args []string
		keys []string
	}{
		{[]string{"-model", "svm", "-cw", "balanced"}, []string{"sv", "iter", "gamma", "bias", "values"}},
		{[]string{"-model", "forest", "-threads", "2"}, []string{"trees", "importances", "values"}},
	} {
		out := filepath.Join(t.TempDir(), "out.txt")
		var stdout strings.Builder
		args := append([]string{"-data", data, "-reps", "1", "-out", out}, tc.args...)
		if err := run(args, &stdout); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if !strings.HasPrefix(stdout.String(), "vigil:   "+tc.args[1]+" data=small n=60 d=3 pos=12 ") ||
			!strings.Contains(stdout.String(), " train_ms=") {
			t.Errorf("%v: stdout %q", tc.args, stdout.String())
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		for i, k := range tc.keys {
			if !strings.HasPrefix(lines[i], k) {
				t.Errorf("%v: line %d is %q, want %s", tc.args, i, lines[i], k)
			}
		}
		if n := len(lines) - len(tc.keys); n != 60 {
			t.Errorf("%v: %d values, want 60", tc.args, n)
		}
	}
}
