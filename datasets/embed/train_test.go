package embed

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

var (
	compileWords = []string{"gcc", "cc", "ld", "as", "make", "gdb"}
	docWords     = []string{"latex", "dvips", "xdvi", "bibtex", "ghostview", "lpr"}
)

// topicCorpus returns n sentences of 40 words, each drawn uniformly from
// one of the two topics, so words share contexts only within their topic.
func topicCorpus(n int, seed uint64) [][]string {
	rng := rand.New(rand.NewPCG(seed, 0))
	out := make([][]string, n)
	for i := range out {
		topic := compileWords
		if i%2 == 1 {
			topic = docWords
		}
		s := make([]string, 40)
		for j := range s {
			s[j] = topic[rng.IntN(len(topic))]
		}
		out[i] = s
	}
	return out
}

// testConfig is a small, fast configuration without subsampling.
func testConfig() Config {
	c := DefaultConfig()
	c.Dim, c.Buckets, c.Sample, c.Epochs = 16, 5000, -1, 5
	return c
}

func TestTrainTopics(t *testing.T) {
	tests := []struct {
		name string
		maxn int
	}{
		{"subwords", 6},
		{"words only", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.MaxN = tc.maxn
			var losses []float64
			cfg.Progress = func(done, total int64, loss float64) { losses = append(losses, loss) }
			m, err := Train(topicCorpus(200, 1), cfg)
			if err != nil {
				t.Fatal(err)
			}
			var same, other float64
			var ns, no int
			for _, a := range compileWords {
				for _, b := range compileWords {
					if a != b {
						same += Cosine(m.Vector(a), m.Vector(b))
						ns++
					}
				}
				for _, b := range docWords {
					other += Cosine(m.Vector(a), m.Vector(b))
					no++
				}
			}
			same, other = same/float64(ns), other/float64(no)
			t.Logf("mean cosine within topic %.3f, across topics %.3f; loss %.3f -> %.3f", same, other, losses[0], losses[len(losses)-1])
			if same < other+0.3 {
				t.Errorf("within-topic cosine %.3f not clearly above across-topic %.3f", same, other)
			}
			// an untrained model scores 0.5 everywhere: loss 6 ln 2 = 4.16 per example
			if len(losses) < 10 || losses[0] > 4.2 || losses[len(losses)-1] > losses[0]-0.3 {
				t.Errorf("loss did not decrease: %v", losses)
			}
		})
	}
}

func TestTrainDeterministic(t *testing.T) {
	corpus := topicCorpus(40, 2)
	vec := func(seed uint64) []byte {
		cfg := testConfig()
		cfg.Seed = seed
		m, err := Train(corpus, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.WriteVec(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b, c := vec(9), vec(9), vec(10)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed gave different vectors")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same vectors")
	}
}

func TestTrainStats(t *testing.T) {
	cfg := testConfig()
	cfg.Epochs = 3
	var calls int
	var lastDone, lastTotal int64
	cfg.Progress = func(done, total int64, _ float64) {
		if done < lastDone {
			t.Errorf("progress went back from %d to %d", lastDone, done)
		}
		calls++
		lastDone, lastTotal = done, total
	}
	m, err := Train(topicCorpus(30, 3), cfg) // 1,200 tokens
	if err != nil {
		t.Fatal(err)
	}
	st := m.Stats()
	if st.Tokens != 3600 || lastDone != 3600 || lastTotal != 3600 {
		t.Fatalf("tokens %d, last progress %d/%d; want 3600", st.Tokens, lastDone, lastTotal)
	}
	if calls < 2 || st.Threads != 1 || st.Duration <= 0 || st.Loss <= 0 {
		t.Fatalf("calls %d stats %+v", calls, st)
	}
	if m.Dim() != 16 || m.Count("gcc")+m.Count("latex") == 0 || m.Count("emacs") != 0 {
		t.Fatalf("Dim %d Count(gcc) %d Count(emacs) %d", m.Dim(), m.Count("gcc"), m.Count("emacs"))
	}
	if w := m.Words(); len(w) != 12 {
		t.Fatalf("%d words", len(w))
	}
}

func TestStatsSpeed(t *testing.T) {
	st := Stats{Tokens: 3_000_000, Duration: 2e9, Threads: 3}
	if got := st.WordsPerSecPerThread(); got != 500_000 {
		t.Fatalf("WordsPerSecPerThread = %v, want 500000", got)
	}
	if got := (Stats{}).WordsPerSecPerThread(); got != 0 {
		t.Fatalf("zero stats: %v", got)
	}
}

func TestOOVSubword(t *testing.T) {
	m, err := Train(topicCorpus(200, 4), testConfig())
	if err != nil {
		t.Fatal(err)
	}
	v := m.Vector("gcc4")
	word, cos := m.Nearest(v)
	t.Logf("nearest to unseen gcc4: %s (%.3f)", word, cos)
	if word != "gcc" || cos < 0.5 {
		t.Fatalf("nearest to gcc4 is %q (%.3f), want gcc", word, cos)
	}
	if c := Cosine(v, m.Vector("latex")); c > cos-0.3 {
		t.Fatalf("gcc4 as close to latex (%.3f) as to gcc (%.3f)", c, cos)
	}
	// without subwords an unseen word has a zero vector
	cfg := testConfig()
	cfg.MaxN = 0
	m0, err := Train(topicCorpus(20, 4), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := norm(m0.Vector("gcc4")); n != 0 {
		t.Fatalf("unseen word without subwords has norm %v", n)
	}
	if w, c := m0.Nearest(m0.Vector("gcc4")); w != "" || c != 0 {
		t.Fatalf("Nearest(zero) = %q, %v", w, c)
	}
}

func TestOOVRareAverage(t *testing.T) {
	corpus := append(topicCorpus(20, 5), []string{"gcc", "rareone", "ld", "raretwo", "make"})
	cfg := testConfig()
	cfg.OOV = OOVRareAverage
	m, err := Train(corpus, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, b := m.Vector("rareone"), m.Vector("raretwo")
	got := m.Vector("never-seen")
	for i := range got {
		if want := (a[i] + b[i]) / 2; math.Abs(float64(got[i]-want)) > 1e-6 {
			t.Fatalf("component %d: %v, want %v", i, got[i], want)
		}
	}
	got[0] += 1
	if m.Vector("never-seen")[0] == got[0] {
		t.Fatal("Vector returned shared storage")
	}
	if _, err := Train(topicCorpus(20, 5), cfg); err == nil || !strings.Contains(err.Error(), "at most 1 times") {
		t.Fatalf("no rare words: error %v", err)
	}
}

func TestTrainThreads(t *testing.T) {
	if raceEnabled {
		t.Skip("Hogwild updates race by design")
	}
	cfg := testConfig()
	cfg.Threads = 2
	m, err := Train(topicCorpus(100, 6), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st := m.Stats(); st.Tokens < 20_000 || st.Threads != 2 {
		t.Fatalf("stats %+v", st)
	}
	for _, w := range m.Words() {
		for _, x := range m.Vector(w) {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("%s has a non-finite value", w)
			}
		}
	}
}

func TestTrainSmallCorpora(t *testing.T) {
	tests := []struct {
		name   string
		corpus [][]string
		words  int
	}{
		{"one word", [][]string{{"ls", "ls", "ls"}}, 1},
		{"one token", [][]string{{"ls"}}, 1},
		{"empty sentences", [][]string{{}, {"ls", "cd"}, {}}, 2},
	}
	for _, tc := range tests {
		m, err := Train(tc.corpus, testConfig())
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(m.Words()) != tc.words {
			t.Fatalf("%s: %d words", tc.name, len(m.Words()))
		}
	}
}

func BenchmarkTrain(b *testing.B) {
	corpus := topicCorpus(2500, 8) // 100,000 tokens
	cfg := DefaultConfig()
	cfg.Buckets, cfg.Sample = 100_000, -1 // no subsampling: every token is trained
	for b.Loop() {
		m, err := Train(corpus, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(m.Stats().WordsPerSecPerThread(), "words/s/thread")
	}
}
