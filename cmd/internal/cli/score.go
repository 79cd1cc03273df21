package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/datasets/logins"
	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/serve"
)

// scoreChunk is how many records vigil score scores at once.
const scoreChunk = 10000

func newScoreCmd() *cobra.Command {
	var in string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "score MODEL_DIR",
		Short: "Score entity,IPv4 records without a server (batch transform)",
		Long: `Read headerless CSV records entity,IPv4 (SageMaker's format) from standard input
(or --input) and write one JSON line per record, {"dot_product": x}, as
/invocations answers application/jsonlines; --verbose adds the embeddings.
MODEL_DIR is a run directory or a model directory inside it. A malformed
record stops the run with an error naming its line.`,
		Example: `  vigil score runs/ipinsights_quickstart < logins.csv > scores.jsonl`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := experiments.ModelDir(args[0])
			if err != nil {
				return err
			}
			m, err := openServed(dir)
			if err != nil {
				return err
			}
			src, name := cmd.InOrStdin(), "stdin"
			if in != "" {
				f, err := os.Open(in)
				if err != nil {
					return err
				}
				defer f.Close()
				src, name = f, in
			}
			out := bufio.NewWriterSize(cmd.OutOrStdout(), 1<<20)
			n, err := scoreStream(m, src, name, out, verbose)
			if ferr := out.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				return fmt.Errorf("after %d records: %w", n, err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "scored %d records with %s\n", n, m.Version())
			return nil
		},
	}
	cmd.Flags().StringVar(&in, "input", "", "read records from this file instead of standard input")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "add entity_embedding and ip_embedding to every line")
	return cmd
}

// scoreStream scores the records of r in chunks, writing JSON lines to w.
func scoreStream(m serve.Model, r io.Reader, name string, w io.Writer, verbose bool) (int, error) {
	events, _ := logins.ReadPairs(r, logins.Options{Name: name})
	var recs []serve.Record
	n := 0
	flush := func() error {
		if len(recs) == 0 {
			return nil
		}
		preds, err := m.Score(recs)
		if err != nil {
			return err
		}
		if err := serve.WriteJSONLines(w, preds, verbose); err != nil {
			return err
		}
		n += len(recs)
		recs = recs[:0]
		return nil
	}
	for ev, err := range events {
		if err != nil {
			return n, err
		}
		recs = append(recs, serve.Record{Entity: ev.Entity, IP: ev.IP})
		if len(recs) == scoreChunk {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	return n, flush()
}
