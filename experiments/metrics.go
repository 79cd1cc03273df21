package experiments

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/models/convvae"
)

// Metrics is metrics.json: the model and its baseline side by side.
type Metrics struct {
	Config     string         `json:"config"`
	Date       string         `json:"date"`
	Machine    string         `json:"machine"`
	Commit     string         `json:"commit,omitempty"`
	Users      int            `json:"users"`
	Parameters int            `json:"parameters"`
	Seconds    float64        `json:"seconds"`
	Model      eval.SEAResult `json:"model"`
	// ModelExcess scores blocks by reconstruction BCE minus the input's own
	// entropy (the KL part of the BCE), from the same models.
	ModelExcess eval.SEAResult `json:"model_excess_bce"`
	Baseline    eval.SEAResult `json:"baseline"`
	Anchors     []eval.Anchor  `json:"published_anchors"`
}

func newMetrics(cfg Config, users, params int, model, base eval.SEAResult) Metrics {
	return Metrics{
		Config: cfg.Name, Date: time.Now().UTC().Format(time.RFC3339),
		Machine: fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU()),
		Commit:  commit(), Users: users, Parameters: params,
		Model: model, Baseline: base, Anchors: eval.PublishedAnchors(),
	}
}

// commit is the VCS revision the binary was built from, if known.
func commit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty && rev != "" {
		rev += "+dirty"
	}
	return rev
}

// Result is what Run and Evaluate return.
type Result struct {
	Out     string
	Metrics Metrics
}

// Summary is a short plain-text table of the results.
func (r *Result) Summary() string {
	var b strings.Builder
	m := r.Metrics
	fmt.Fprintf(&b, "%s: %d users, %d parameters per model, %.0fs\n", m.Config, m.Users, m.Parameters, m.Seconds)
	fmt.Fprintf(&b, "%-22s %8s", "", "AUC")
	for _, t := range m.Model.Pooled {
		fmt.Fprintf(&b, "  hit@%.1f%%FA", 100*t.TargetFA)
	}
	fmt.Fprintln(&b)
	row := func(name string, s eval.SEAResult) {
		fmt.Fprintf(&b, "%-22s %8.4f", name, s.AUC)
		for _, t := range s.Pooled {
			fmt.Fprintf(&b, "  %10.1f%%", 100*t.HitRate)
		}
		fmt.Fprintln(&b)
	}
	row("ConvVAE (pooled)", m.Model)
	row("ConvVAE excess BCE", m.ModelExcess)
	row("naive Bayes (pooled)", m.Baseline)
	fmt.Fprintf(&b, "report: %s/report.html, metrics: %s/metrics.json\n", r.Out, r.Out)
	return b.String()
}

// WriteModelSummary prints the layer table of cfg's model.
func WriteModelSummary(w io.Writer, cfg Config) error {
	m, err := convvae.New(modelConfig(cfg), userSeed(cfg.Seed, 0))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: ConvVAE on %dx%d windows\n", cfg.Name, cfg.Windows.Length, cfg.Embedding.Dim)
	return m.WriteSummary(w)
}
