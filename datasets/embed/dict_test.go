package embed

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestBuildDict(t *testing.T) {
	corpus := [][]string{{"b", "a", "b", "c"}, {"a", "b"}}
	cfg, err := Config{MaxN: 6, Buckets: 100, Sample: 0.1}.resolve()
	if err != nil {
		t.Fatal(err)
	}
	d, err := buildDict(corpus, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.words, []string{"b", "a", "c"}) || !reflect.DeepEqual(d.counts, []int64{3, 2, 1}) {
		t.Fatalf("words %q counts %v", d.words, d.counts)
	}
	// f = 1/2, 1/3, 1/6 and t = 0.1: keep sqrt(t/f)+t/f, capped at 1
	want := []float32{float32(math.Sqrt(0.2) + 0.2), float32(math.Sqrt(0.3) + 0.3), 1}
	for i := range want {
		if math.Abs(float64(d.keep[i]-want[i])) > 1e-6 {
			t.Errorf("keep[%d] = %v, want %v", i, d.keep[i], want[i])
		}
	}
	// rows of "a": own row 1, then "<a>" (the only n-gram of 3 to 6 characters)
	if got, want := d.rows(1), []int32{1, 3 + int32(Hash("<a>")%100)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rows(a) = %v, want %v", got, want)
	}
	if got := d.encode(corpus); !reflect.DeepEqual(got, [][]int32{{0, 1, 0, 2}, {1, 0}}) {
		t.Fatalf("encode = %v", got)
	}
}

func TestBuildDictMinCount(t *testing.T) {
	cfg, _ := Config{MinCount: 2}.resolve()
	d, err := buildDict([][]string{{"x", "y", "x", "z", "y", "x"}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.words, []string{"x", "y"}) || d.ntokens != 6 {
		t.Fatalf("words %q ntokens %d", d.words, d.ntokens)
	}
	if got := d.encode([][]string{{"z", "x", "z", "y"}}); !reflect.DeepEqual(got, [][]int32{{0, 1}}) {
		t.Fatalf("encode = %v", got)
	}
	if want := float32(math.Sqrt(2e-4) + 2e-4); d.keep[0] != want {
		t.Fatalf("keep[x] = %v, want %v (default t = 1e-4)", d.keep[0], want)
	}
	if len(d.rows(0)) != 1 {
		t.Fatalf("Config{} uses subwords: rows %v", d.rows(0))
	}
}

func TestEncodeChunks(t *testing.T) {
	cfg, _ := Config{}.resolve()
	sent := strings.Fields(strings.Repeat("ls cat ", 1250)) // 2,500 tokens
	d, err := buildDict([][]string{sent, {"ls"}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var lens []int
	for _, c := range d.encode([][]string{sent, {"ls"}}) {
		lens = append(lens, len(c))
	}
	if !reflect.DeepEqual(lens, []int{1024, 1024, 452, 1}) {
		t.Fatalf("chunk lengths %v", lens)
	}
}

func TestBuildDictErrors(t *testing.T) {
	cfg, _ := Config{MinCount: 3}.resolve()
	tests := []struct {
		name   string
		corpus [][]string
		want   string
	}{
		{"empty corpus", nil, "no word occurs at least 3 times in 0 tokens"},
		{"too rare", [][]string{{"a", "a", "b"}}, "no word occurs at least 3 times in 3 tokens"},
		{"empty word", [][]string{{"a", ""}}, "empty word"},
	}
	for _, tc := range tests {
		if _, err := buildDict(tc.corpus, cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}
