// Command embed measures the skip-gram training speed of package
// datasets/embed in fastText's unit, words per second per thread, on SEA
// commands: synthetic data by default, or a real SEA directory with -sea.
// With -corpus it also writes the corpus, one user per line, so that the
// fastText program can be timed on the same input (see embed.sh).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/datasets"
	"github.com/vigil-ml/vigil/datasets/embed"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
}

// run parses args, trains once and prints one result line to out.
func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("embed", flag.ContinueOnError)
	seaDir := fs.String("sea", "", "SEA directory (default: synthetic SEA data)")
	corpusPath := fs.String("corpus", "", "write the corpus here, one user per line")
	vecPath := fs.String("vec", "", "write the trained vectors here (.vec format)")
	seed := fs.Uint64("seed", 1, "seed of the synthetic data and of training")
	cfg := embed.DefaultConfig()
	fs.IntVar(&cfg.Dim, "dim", cfg.Dim, "vector dimension")
	fs.IntVar(&cfg.Window, "ws", cfg.Window, "maximum context window")
	fs.IntVar(&cfg.Negatives, "neg", cfg.Negatives, "negative samples")
	fs.IntVar(&cfg.MinN, "minn", cfg.MinN, "shortest character n-gram")
	fs.IntVar(&cfg.MaxN, "maxn", cfg.MaxN, "longest character n-gram (0: none)")
	fs.IntVar(&cfg.Epochs, "epoch", cfg.Epochs, "epochs")
	fs.Float64Var(&cfg.LR, "lr", cfg.LR, "initial learning rate")
	fs.IntVar(&cfg.Buckets, "bucket", cfg.Buckets, "n-gram hash buckets")
	fs.Float64Var(&cfg.Sample, "t", cfg.Sample, "subsampling threshold")
	fs.IntVar(&cfg.Threads, "thread", cfg.Threads, "training goroutines")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	cfg.Seed = *seed
	var sea *datasets.SEA
	if *seaDir != "" {
		var err error
		if sea, err = datasets.ReadSEA(*seaDir, datasets.DefaultSEAFormat()); err != nil {
			return err
		}
	} else {
		sea = datasets.SyntheticSEA(datasets.SyntheticConfig{}, rand.New(rand.NewPCG(*seed, 0)))
	}
	corpus := sea.Corpus()
	if *corpusPath != "" {
		if err := writeCorpus(*corpusPath, corpus); err != nil {
			return err
		}
	}
	start := time.Now()
	m, err := embed.Train(corpus, cfg)
	if err != nil {
		return err
	}
	total := time.Since(start)
	st := m.Stats()
	fmt.Fprintf(out, "vigil/embed: words/sec/thread: %.0f tokens: %d train_s: %.3f total_s: %.3f avg.loss: %.4f words: %d\n",
		st.WordsPerSecPerThread(), st.Tokens, st.Duration.Seconds(), total.Seconds(), st.Loss, len(m.Words()))
	if *vecPath != "" {
		f, err := os.Create(*vecPath)
		if err != nil {
			return err
		}
		if err := m.WriteVec(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}

// writeCorpus writes one sentence per line, words separated by spaces.
func writeCorpus(path string, corpus [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, s := range corpus {
		if _, err := io.WriteString(f, strings.Join(s, " ")+"\n"); err != nil {
			return err
		}
	}
	return nil
}
