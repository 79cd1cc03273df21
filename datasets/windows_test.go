package datasets

import (
	"reflect"
	"strings"
	"testing"
)

func TestWindows(t *testing.T) {
	// five commands of dimension 2: command i is {i, 10+i}
	seq := [][]float32{{0, 10}, {1, 11}, {2, 12}, {3, 13}, {4, 14}}
	tests := []struct {
		name           string
		length, stride int
		want           []float32
		n              int
	}{
		{"length 3 stride 1", 3, 1, []float32{0, 10, 1, 11, 2, 12, 1, 11, 2, 12, 3, 13, 2, 12, 3, 13, 4, 14}, 3},
		{"length 2 stride 2", 2, 2, []float32{0, 10, 1, 11, 2, 12, 3, 13}, 2},
		{"length 2 stride 3", 2, 3, []float32{0, 10, 1, 11, 3, 13, 4, 14}, 2},
		{"whole sequence", 5, 1, []float32{0, 10, 1, 11, 2, 12, 3, 13, 4, 14}, 1},
		{"too long", 6, 1, []float32{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, n, err := Windows(seq, tc.length, tc.stride)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.n || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got n=%d %v, want n=%d %v", n, got, tc.n, tc.want)
			}
			if n != WindowCount(len(seq), tc.length, tc.stride) {
				t.Fatalf("WindowCount disagrees: %d", WindowCount(len(seq), tc.length, tc.stride))
			}
		})
	}
}

func TestWindowsErrors(t *testing.T) {
	tests := []struct {
		name           string
		seq            [][]float32
		length, stride int
		want           string
	}{
		{"zero length", [][]float32{{1}}, 0, 1, "must be positive"},
		{"zero stride", [][]float32{{1}}, 1, 0, "must be positive"},
		{"ragged", [][]float32{{1, 2}, {3}}, 1, 1, "vector 1 has dimension 1, want 2"},
		{"empty vector", [][]float32{{}}, 1, 1, "vector 0 is empty"},
	}
	for _, tc := range tests {
		if _, _, err := Windows(tc.seq, tc.length, tc.stride); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestWindow(t *testing.T) {
	got, err := Window([][]float32{{1, 2}, {3, 4}}, 2)
	if err != nil || !reflect.DeepEqual(got, []float32{1, 2, 3, 4}) {
		t.Fatalf("Window = %v, %v", got, err)
	}
	if _, err := Window([][]float32{{1, 2}}, 2); err == nil || !strings.Contains(err.Error(), "block has 1 commands, want window length 2") {
		t.Fatalf("short block: error %v", err)
	}
}

func TestEmbed(t *testing.T) {
	table := map[string][]float32{"ls": {1, 2}}
	lookup := func(c string) []float32 {
		if v, ok := table[c]; ok {
			return v
		}
		return []float32{0, 0}
	}
	got := Embed([]string{"ls", "zz", "ls"}, lookup)
	want := [][]float32{{1, 2}, {0, 0}, {1, 2}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Embed = %v, want %v", got, want)
	}
	got[0][0] = 9
	if table["ls"][0] != 1 {
		t.Fatal("Embed did not copy the vectors")
	}
}

func TestWindowCount(t *testing.T) {
	tests := []struct{ n, length, stride, want int }{
		{5000, 100, 1, 4901},
		{5000, 100, 100, 50},
		{10, 3, 4, 2},
		{2, 3, 1, 0},
		{10, 0, 1, 0},
	}
	for _, tc := range tests {
		if got := WindowCount(tc.n, tc.length, tc.stride); got != tc.want {
			t.Errorf("WindowCount(%d, %d, %d) = %d, want %d", tc.n, tc.length, tc.stride, got, tc.want)
		}
	}
}
