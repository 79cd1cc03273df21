package sweeprun

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/vigil-ml/vigil/experiments/sweep"
)

// writeTrialsCSV writes one row per trial: number, state, objective value,
// seconds, error, then one column per key of the space (empty where the
// key was inactive).
func writeTrialsCSV(path string, space *sweep.Space, trials []sweep.Trial) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	head := []string{"number", "state", "value", "seconds", "error"}
	params := space.Params()
	for _, p := range params {
		head = append(head, p.Key)
	}
	_ = w.Write(head)
	for _, t := range trials {
		row := []string{strconv.Itoa(t.Number), string(t.State), "", "", t.Error}
		if t.State == sweep.Complete {
			row[2] = strconv.FormatFloat(t.Value, 'g', -1, 64)
		}
		if !t.Start.IsZero() && !t.End.IsZero() {
			row[3] = strconv.FormatFloat(t.End.Sub(t.Start).Seconds(), 'f', 1, 64)
		}
		for _, p := range params {
			v, ok := t.Params.Get(p.Key)
			cell := ""
			if ok {
				cell = fmt.Sprint(v)
			}
			row = append(row, cell)
		}
		_ = w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Summary writes the sweep's outcome: counts by state, then the best
// trials (at most top) with their values and parameters.
func Summary(w io.Writer, trials []sweep.Trial, dir sweep.Direction, metric string, top int) {
	count := map[sweep.State]int{}
	var done []sweep.Trial
	for _, t := range trials {
		count[t.State]++
		if t.State == sweep.Complete {
			done = append(done, t)
		}
	}
	fmt.Fprintf(w, "%d trials: %d complete, %d pruned, %d failed, %d running\n", len(trials),
		count[sweep.Complete], count[sweep.Pruned], count[sweep.Failed], count[sweep.Running])
	if len(done) == 0 {
		return
	}
	sort.SliceStable(done, func(i, j int) bool { return dir.Better(done[i].Value, done[j].Value) })
	if len(done) > top {
		done = done[:top]
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "trial\t%s\tminutes\tparameters\n", metric)
	for _, t := range done {
		fmt.Fprintf(tw, "%d\t%.4f\t%.1f\t%s\n", t.Number, t.Value, t.End.Sub(t.Start).Round(time.Second).Minutes(), t.Params)
	}
	tw.Flush()
}
