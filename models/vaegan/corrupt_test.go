package vaegan

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vigil-ml/vigil/models"
)

// Corrupted windows differ from their window in at least one call and at
// about the configured rate, only at real calls, only by calls seen in
// training, each different from the call it replaces; when the
// discriminator judges calls, targets are 1 before a window's first
// replaced call and 0 from it on (and 0 at unused rows).
func TestCorruptedWindows(t *testing.T) {
	cfg := Tiny()
	cfg.Steps, cfg.Vocab, cfg.PerCall, cfg.Corruption = 12, 9, true, 0.25
	m, err := New(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	ex := cyclic(40, 0, cfg.Steps, 5, rand.New(rand.NewPCG(2, 2))) // ids 1..5, every fourth window padded
	tk, err := newTask(m, ex, seq(0, 30), nil, 16, 16, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tk.Close()
	if want := []int32{1, 2, 3, 4, 5}; !slices.Equal(tk.calls, want) {
		t.Fatalf("training calls %v, want %v", tk.calls, want)
	}
	d, E, B, T := tk.disc, cfg.Embedding, 16, cfg.Steps
	emb := m.Embed.Data()
	replaced, real := 0, 0
	for round := range 20 {
		pos := seq(round%10, round%10+11) // 11 windows: 5 unused rows
		if err := d.in.fill(m, ex, pos); err != nil {
			t.Fatal(err)
		}
		if err := d.fillCorrupted(m, ex, pos, tk.calls, cfg.Corruption, rand.New(rand.NewPCG(uint64(round), 3))); err != nil {
			t.Fatal(err)
		}
		for i := range B {
			first := T
			var ids []int32
			if i < len(pos) {
				ids = ex.IntAt(pos[i])
			}
			for tt := range T {
				off := (tt*B + i) * E
				got, orig := d.corruptBuf[off:off+E], d.in.xBuf[off:off+E]
				if i >= len(pos) || ids[tt+1] == models.Pad {
					if !slices.Equal(got, orig) {
						t.Fatalf("row %d call %d: an unused row or padding was changed", i, tt)
					}
					continue
				}
				real++
				if slices.Equal(got, orig) {
					continue
				}
				replaced++
				first = min(first, tt)
				id := -1
				for _, c := range tk.calls {
					if slices.Equal(got, emb[int(c)*E:int(c+1)*E]) {
						id = int(c)
					}
				}
				if id < 0 || id == int(ids[tt+1]) {
					t.Fatalf("row %d call %d: replaced by %d, was %d", i, tt, id, ids[tt+1])
				}
			}
			if i < len(pos) && first == T {
				t.Fatalf("row %d: no call replaced", i)
			}
			for tt := range T {
				want := float32(0)
				if i < len(pos) && tt < first {
					want = 1
				}
				if g := d.targetBuf[tt*B+i]; g != want {
					t.Fatalf("row %d call %d: target %v, want %v (first replaced call %d)", i, tt, g, want, first)
				}
			}
		}
	}
	// At least one per window lifts the rate a little above 0.25.
	if r := float64(replaced) / float64(real); r < 0.22 || r > 0.35 {
		t.Fatalf("%d of %d calls replaced (%.3f), want about 0.25", replaced, real, r)
	}
}
