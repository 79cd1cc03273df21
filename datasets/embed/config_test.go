package embed

import (
	"strings"
	"testing"
)

func TestConfigResolve(t *testing.T) {
	def := DefaultConfig()
	got, err := def.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if got.Dim != 50 || got.Window != 5 || got.Negatives != 5 || got.MinN != 3 || got.MaxN != 6 ||
		got.Epochs != 5 || got.LR != 0.05 || got.MinCount != 1 || got.Buckets != 2_000_000 ||
		got.Sample != 1e-4 || got.NegPower != 0.5 || got.Threads != 1 || got.OOV != OOVSubword || got.RareMaxCount != 1 {
		t.Fatalf("DefaultConfig resolved to %+v", got)
	}
	zero, err := Config{}.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if zero.Dim != 50 || zero.MaxN != 0 || zero.Buckets != 0 || zero.Sample != 1e-4 {
		t.Fatalf("Config{} resolved to %+v", zero)
	}
	noSample, _ := Config{Sample: -1}.resolve()
	if noSample.Sample != 0 {
		t.Fatalf("negative Sample resolved to %v, want 0 (disabled)", noSample.Sample)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"negative dim", Config{Dim: -1}, "negative setting"},
		{"negative threads", Config{Threads: -2}, "negative setting"},
		{"minn above maxn", Config{MinN: 5, MaxN: 4}, "MinN 5 > MaxN 4"},
		{"unknown oov", Config{OOV: "zero"}, `unknown OOV policy "zero"`},
		{"huge buckets", Config{MaxN: 6, Buckets: 1 << 31}, "Buckets"},
	}
	for _, tc := range tests {
		if _, err := tc.cfg.resolve(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if _, err := Train([][]string{{"a", "b"}}, tc.cfg); err == nil {
			t.Errorf("%s: Train accepted the configuration", tc.name)
		}
	}
}
