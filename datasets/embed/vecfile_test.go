package embed

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestVecRoundTrip(t *testing.T) {
	m, err := Train(topicCorpus(20, 7), testConfig())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteVec(&buf); err != nil {
		t.Fatal(err)
	}
	if head, _, _ := strings.Cut(buf.String(), "\n"); head != "12 16" {
		t.Fatalf("header %q, want \"12 16\"", head)
	}
	v, err := ReadVec(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v.Words(), m.Words()) || v.Dim() != 16 || v.Len() != 12 {
		t.Fatalf("words %q dim %d", v.Words(), v.Dim())
	}
	for _, w := range m.Words() {
		got, ok := v.Vector(w)
		if !ok || !reflect.DeepEqual(got, m.Vector(w)) {
			t.Fatalf("%s: read %v, want %v", w, got, m.Vector(w))
		}
	}
	if _, ok := v.Vector("emacs"); ok {
		t.Fatal("unknown word found")
	}
}

func TestReadVecFastTextStyle(t *testing.T) {
	// fastText ends each line with a space and lists </s>
	in := "2 3\n</s> 0.1 0.2 0.3 \nls -1e-05 2 3 \r\n"
	v, err := ReadVec(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := v.Vector("ls")
	if !ok || !reflect.DeepEqual(got, []float32{-1e-05, 2, 3}) {
		t.Fatalf("ls = %v, %v", got, ok)
	}
	if !reflect.DeepEqual(v.Words(), []string{"</s>", "ls"}) {
		t.Fatalf("words %q", v.Words())
	}
}

func TestReadVecErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "vec line 1: missing header"},
		{"short header", "2\n", "vec line 1: header \"2\""},
		{"zero dimension", "1 0\n", "vec line 1: header"},
		{"negative count", "-1 2\n", "vec line 1: header"},
		{"few values", "1 2\na 1\n", "vec line 2: got 2 values, want a word and 2 values"},
		{"many values", "2 2\na 1 2\nb 1 2 3\n", "vec line 3: got 4 values"},
		{"not a number", "1 2\na 1 x\n", `vec line 2: value 2 ("x") is not a finite number`},
		{"nan", "1 2\na NaN 1\n", `vec line 2: value 1 ("NaN")`},
		{"infinite", "1 2\na 1 1e60\n", `vec line 2: value 2 ("1e60")`},
		{"duplicate", "2 2\na 1 2\na 3 4\n", `vec line 3: duplicate word "a"`},
		{"too many", "1 2\na 1 2\nb 3 4\n", "vec line 3: more than the 1 vectors"},
		{"too few", "3 2\na 1 2\n", "vec line 2: file ends after 1 vectors, header says 3"},
		{"blank line", "2 1\na 1\n\nb 2\n", "vec line 3: got 0 values"},
	}
	for _, tc := range tests {
		_, err := ReadVec(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestVectorsNearest(t *testing.T) {
	v, err := ReadVec(strings.NewReader("4 2\na 1 0\nb 0 1\nc 1 1\nz 0 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := v.Nearest([]float32{1, 0.1}, 2)
	if len(got) != 2 || got[0].Word != "a" || got[1].Word != "c" {
		t.Fatalf("Nearest = %v, want a then c", got)
	}
	// cosines by hand: 1/sqrt(1.01) and 1.1/sqrt(2*1.01)
	if d := got[0].Cosine - 0.9950371902; d > 1e-6 || d < -1e-6 {
		t.Errorf("cos(a) = %.10f", got[0].Cosine)
	}
	if d := got[1].Cosine - 0.7739573369; d > 1e-6 || d < -1e-6 {
		t.Errorf("cos(c) = %.10f", got[1].Cosine)
	}
	if all := v.Nearest([]float32{1, 0.1}, 10); len(all) != 3 {
		t.Errorf("zero vector not skipped: %v", all)
	}
	for _, q := range [][]float32{{0, 0}, {1, 0, 0}} {
		if got := v.Nearest(q, 1); got != nil {
			t.Errorf("Nearest(%v) = %v, want none", q, got)
		}
	}
}

func TestCosine(t *testing.T) {
	tests := []struct {
		a, b []float32
		want float64
	}{
		{[]float32{1, 0}, []float32{2, 0}, 1},
		{[]float32{1, 0}, []float32{0, 3}, 0},
		{[]float32{1, 1}, []float32{-1, -1}, -1},
		{[]float32{0, 0}, []float32{1, 1}, 0},
		{[]float32{1}, []float32{1, 1}, 0},
	}
	for _, tc := range tests {
		if got := Cosine(tc.a, tc.b); got-tc.want > 1e-12 || tc.want-got > 1e-12 {
			t.Errorf("Cosine(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func FuzzReadVec(f *testing.F) {
	f.Add("2 3\n</s> 0.1 0.2 0.3 \nls -1e-05 2 3 \r\n")
	f.Add("1 2\na 1 x\n")
	f.Add("0 5\n")
	f.Add("1 1000000000\na 1\n")
	f.Add("2 1\na 1\na 2\n")
	f.Add("0 00000004444444444444")
	f.Fuzz(func(t *testing.T, in string) {
		v, err := ReadVec(strings.NewReader(in))
		if err != nil {
			if !strings.Contains(err.Error(), "vec line ") {
				t.Fatalf("error %q does not name a line", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := v.WriteVec(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := ReadVec(&buf)
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v", err)
		}
		if !reflect.DeepEqual(again.Words(), v.Words()) || again.Dim() != v.Dim() {
			t.Fatal("round trip changed the words")
		}
		for _, w := range v.Words() {
			a, _ := v.Vector(w)
			b, _ := again.Vector(w)
			if len(a) != v.Dim() || !reflect.DeepEqual(a, b) {
				t.Fatalf("%q: %v then %v", w, a, b)
			}
		}
	})
}
