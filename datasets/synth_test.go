package datasets

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func newRNG(a, b uint64) *rand.Rand { return rand.New(rand.NewPCG(a, b)) }

func TestSyntheticDeterministic(t *testing.T) {
	cfg := SyntheticConfig{Format: smallFormat}
	a := SyntheticSEA(cfg, newRNG(3, 4))
	b := SyntheticSEA(cfg, newRNG(3, 4))
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different data")
	}
	c := SyntheticSEA(cfg, newRNG(3, 5))
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same data")
	}
}

func TestSyntheticGolden(t *testing.T) {
	s := SyntheticSEA(SyntheticConfig{}, newRNG(1, 2))
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"User1 train", s.Users[0].Train[:8], []string{"cd", "cd", "xargs", "xargs", "cat", "cat", "cat", "ls"}},
		{"User8 block 3", s.Users[7].Blocks[3][:8], []string{"python", "ls", "ls", "mount", "mount", "mail", "vi", "grep"}},
	}
	for _, tc := range tests {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	if b, u := s.MasqueradeCount(); b != 208 || u != 25 {
		t.Errorf("MasqueradeCount = %d blocks, %d users; want 208, 25", b, u)
	}
}

func TestSyntheticSizesAndLabels(t *testing.T) {
	tests := []struct {
		name      string
		cfg       SyntheticConfig
		format    SEAFormat
		victims   int
		minBlocks int
		maxBlocks int
	}{
		{"default", SyntheticConfig{}, DefaultSEAFormat(), 25, 80, 400},
		{"small", SyntheticConfig{Format: smallFormat}, smallFormat, 3, 3, 30},
		{"all users", SyntheticConfig{Format: smallFormat, MasqueradeUsers: 1}, smallFormat, 5, 5, 50},
		{"one user", SyntheticConfig{Format: smallFormat, MasqueradeUsers: 0.01}, smallFormat, 1, 1, 10},
		{"partial format", SyntheticConfig{Format: SEAFormat{Users: 4}}, SEAFormat{Users: 4, TrainLen: 5000, Blocks: 100, BlockLen: 100}, 2, 2, 60},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := SyntheticSEA(tc.cfg, newRNG(11, 12))
			f, err := s.Format()
			if err != nil {
				t.Fatal(err)
			}
			if f != tc.format {
				t.Fatalf("format %+v, want %+v", f, tc.format)
			}
			blocks, users := s.MasqueradeCount()
			if users != tc.victims {
				t.Errorf("%d users with masquerades, want %d", users, tc.victims)
			}
			if blocks < tc.minBlocks || blocks > tc.maxBlocks {
				t.Errorf("%d masquerade blocks, want %d..%d", blocks, tc.minBlocks, tc.maxBlocks)
			}
		})
	}
}

// TestSyntheticPlantedBlocksDiffer checks that masquerade blocks use
// commands the victim rarely used in training, unlike clean blocks.
func TestSyntheticPlantedBlocksDiffer(t *testing.T) {
	s := SyntheticSEA(SyntheticConfig{}, newRNG(5, 6))
	var seenClean, seenMasq float64
	var nClean, nMasq int
	for _, u := range s.Users {
		known := map[string]bool{}
		for _, c := range u.Train {
			known[c] = true
		}
		for b, blk := range u.Blocks {
			k := 0
			for _, c := range blk {
				if known[c] {
					k++
				}
			}
			frac := float64(k) / float64(len(blk))
			if u.Labels[b] {
				seenMasq += frac
				nMasq++
			} else {
				seenClean += frac
				nClean++
			}
		}
	}
	clean, masq := seenClean/float64(nClean), seenMasq/float64(nMasq)
	t.Logf("share of commands seen in training: clean %.3f, masquerade %.3f", clean, masq)
	if clean < 0.9 || masq > clean-0.15 {
		t.Fatalf("clean blocks %.3f, masquerade blocks %.3f: not separated", clean, masq)
	}
}

// TestSyntheticLearnable checks that a per-user frequency model ranks the
// planted blocks well but not perfectly.
func TestSyntheticLearnable(t *testing.T) {
	s := SyntheticSEA(SyntheticConfig{}, newRNG(1, 2))
	a := auc(freqScores(s))
	t.Logf("frequency model AUC %.4f", a)
	if a < 0.85 || a > 0.995 {
		t.Fatalf("AUC %.4f outside [0.85, 0.995]", a)
	}
}

func TestAUC(t *testing.T) {
	tests := []struct {
		scores []float64
		labels []bool
		want   float64
	}{
		{[]float64{1, 2, 3, 4}, []bool{false, false, true, true}, 1},
		{[]float64{1, 2, 3, 4}, []bool{true, true, false, false}, 0},
		{[]float64{1, 2, 3, 4}, []bool{false, true, false, true}, 0.75},
		{[]float64{1, 1, 1, 1}, []bool{false, true, false, true}, 0.5},
	}
	for _, tc := range tests {
		if got := auc(tc.scores, tc.labels); got != tc.want {
			t.Errorf("auc(%v, %v) = %v, want %v", tc.scores, tc.labels, got, tc.want)
		}
	}
}

func TestSyntheticResolved(t *testing.T) {
	def := SyntheticConfig{}.Resolved()
	want := SyntheticConfig{
		Format: DefaultSEAFormat(), VocabSize: 300, CommonCommands: 25, UserCommands: 40, CommonShare: 0.5,
		Repeat: 0.2, Follow: 0.3, Masqueraders: 20, MasqueradeUsers: 0.5, StartProb: 0.02, ContinueProb: 0.7,
		DriftProb: 0.1, DriftShare: 0.3, NovelCommands: 8,
	}
	if def != want {
		t.Fatalf("defaults %+v\nwant %+v", def, want)
	}
	tests := []struct {
		name  string
		in    SyntheticConfig
		check func(SyntheticConfig) bool
	}{
		{"vocab raised", SyntheticConfig{VocabSize: 10}, func(c SyntheticConfig) bool { return c.VocabSize == 73 }},
		{"probability above one", SyntheticConfig{StartProb: 1.5}, func(c SyntheticConfig) bool { return c.StartProb == 0.02 }},
		{"negative probability", SyntheticConfig{CommonShare: -1}, func(c SyntheticConfig) bool { return c.CommonShare == 0.5 }},
		{"repeat plus follow", SyntheticConfig{Repeat: 0.6, Follow: 0.5}, func(c SyntheticConfig) bool { return c.Repeat == 0.2 && c.Follow == 0.3 }},
		{"drift disabled", SyntheticConfig{DriftProb: -1}, func(c SyntheticConfig) bool { return c.DriftProb == 0 }},
		{"kept", SyntheticConfig{ContinueProb: 0.8, Masqueraders: 3}, func(c SyntheticConfig) bool { return c.ContinueProb == 0.8 && c.Masqueraders == 3 }},
	}
	for _, tc := range tests {
		if got := tc.in.Resolved(); !tc.check(got) {
			t.Errorf("%s: resolved to %+v", tc.name, got)
		}
	}
}

func TestSynthVocab(t *testing.T) {
	for _, n := range []int{10, 300, 600} {
		v := synthVocab(n, newRNG(1, 1))
		if len(v) != n {
			t.Fatalf("synthVocab(%d) has %d names", n, len(v))
		}
		seen := map[string]bool{}
		for _, w := range v {
			if seen[w] || w == "" || strings.ContainsAny(w, " \t\n") {
				t.Fatalf("bad or duplicate name %q", w)
			}
			seen[w] = true
		}
		if v[0] != "ls" || v[2] != "cat" {
			t.Fatalf("vocabulary does not start with the real names: %q", v[:3])
		}
	}
}
