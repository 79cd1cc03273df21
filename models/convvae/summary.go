package convvae

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/vigil-ml/vigil/graph"
)

// SummaryRow is one line of the layer table.
type SummaryRow struct {
	Layer  string
	Output string // per-example output shape, channels x height x width or units
	Params int
}

func count(ps ...*graph.Param) int {
	n := 0
	for _, p := range ps {
		n += p.Size()
	}
	return n
}

// Summary lists the layers in order with their output shapes and parameter counts.
func (m *Model) Summary() []SummaryRow {
	cfg := m.Config
	k := cfg.Kernel
	rows := []SummaryRow{{Layer: "Input", Output: fmt.Sprintf("1x%dx%d", cfg.Rows, cfg.Cols)}}
	for i, c := range m.encoder {
		s := m.encShape[i]
		rows = append(rows, SummaryRow{fmt.Sprintf("Conv2D %d %dx%d stride %d relu", c.OutC, k, k, cfg.Strides[i]), fmt.Sprintf("%dx%dx%d", s.C, s.H, s.W), count(c.W, c.B)})
		if r := cfg.Dropouts[i]; r > 0 {
			rows = append(rows, SummaryRow{fmt.Sprintf("Dropout %.2g", r), fmt.Sprintf("%dx%dx%d", s.C, s.H, s.W), 0})
		}
	}
	last := m.encShape[len(m.encShape)-1]
	flat := last.C * last.H * last.W
	rows = append(rows,
		SummaryRow{"Flatten", fmt.Sprint(flat), 0},
		SummaryRow{fmt.Sprintf("Dense %d relu", cfg.Dense), fmt.Sprint(cfg.Dense), count(m.hidden.W, m.hidden.B)},
		SummaryRow{fmt.Sprintf("z_mean Dense %d", cfg.Latent), fmt.Sprint(cfg.Latent), count(m.zMean.W, m.zMean.B)},
		SummaryRow{fmt.Sprintf("z_log_var Dense %d", cfg.Latent), fmt.Sprint(cfg.Latent), count(m.zLogVar.W, m.zLogVar.B)},
		SummaryRow{"Sampling (" + cfg.Sampling + ")", fmt.Sprint(cfg.Latent), 0},
		SummaryRow{fmt.Sprintf("Dense %d relu", flat), fmt.Sprint(flat), count(m.expand.W, m.expand.B)},
		SummaryRow{"Reshape", fmt.Sprintf("%dx%dx%d", last.C, last.H, last.W), 0},
	)
	for i, t := range m.decoder {
		s := m.decShape[i]
		rows = append(rows, SummaryRow{fmt.Sprintf("ConvTranspose2D %d %dx%d stride %d relu", t.OutC, k, k, t.Stride), fmt.Sprintf("%dx%dx%d", s.C, s.H, s.W), count(t.W, t.B)})
	}
	rows = append(rows, SummaryRow{fmt.Sprintf("Conv2D 1 %dx%d sigmoid", k, k), fmt.Sprintf("1x%dx%d", cfg.Rows, cfg.Cols), count(m.output.W, m.output.B)})
	return rows
}

// writeSummary prints the layer table and the total parameter count.
func (m *Model) writeSummary(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight*0)
	fmt.Fprintln(tw, "layer\toutput\tparameters")
	for _, r := range m.Summary() {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", r.Layer, r.Output, r.Params)
	}
	fmt.Fprintf(tw, "total\t\t%d\n", m.NumParams())
	return tw.Flush()
}
