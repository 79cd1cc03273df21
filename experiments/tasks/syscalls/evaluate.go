package syscalls

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// Metrics is metrics.json of a syscalls run.
type Metrics struct {
	Config     string        `json:"config"`
	Date       string        `json:"date"`
	Machine    string        `json:"machine"`
	Commit     string        `json:"commit,omitempty"`
	Seconds    float64       `json:"seconds"`
	Parameters int           `json:"parameters"`
	Data       DataSummary   `json:"data"`
	Systems    []SystemScore `json:"systems"`
	// BestStideN is the STIDE window length with the best test AUC (a
	// choice made on test data, so optimistic for the baseline).
	BestStideN int          `json:"best_stide_n"`
	LIDDS      []LIDDSScore `json:"lidds,omitempty"`
	Anchors    []Anchor     `json:"published_anchors"`
}

// DataSummary says what the run trained and tested on.
type DataSummary struct {
	Kind        string         `json:"kind"`
	Train       int            `json:"train_traces"`
	Validation  int            `json:"validation_traces"`
	TestNormal  int            `json:"test_normal_traces"`
	TestAttack  int            `json:"test_attack_traces"`
	Families    map[string]int `json:"attack_families"`
	TrainCalls  int            `json:"train_calls"`
	Vocabulary  int            `json:"vocabulary"`
	ThreadAware bool           `json:"thread_aware"`
	Note        string         `json:"note"`
}

// SystemScore is one detector's trace-level result.
type SystemScore struct {
	Name string  `json:"name"`
	AUC  float64 `json:"auc"`
	// AtFalseAlarm holds the detection at each eval.false_alarm_rates
	// target, the threshold set on the normal test traces.
	AtFalseAlarm []eval.TraceOperating `json:"at_false_alarm"`
	// AtValidationMax is the seed's rule: the threshold is the largest
	// score of a normal validation trace.
	AtValidationMax eval.TraceOperating `json:"at_validation_max"`
}

// LIDDSScore is one detector's LID-DS result, thresholded at the largest
// per-call score on the validation calls.
type LIDDSScore struct {
	Name string `json:"name"`
	eval.LIDDSResult
}

// Anchor is a published result on ADFA-LD.
type Anchor struct {
	Name   string   `json:"name"`
	Source string   `json:"source"`
	AUC    *float64 `json:"auc,omitempty"`
	Note   string   `json:"note"`
}

func anchors() []Anchor {
	kim := 0.928
	return []Anchor{
		{Name: "Kim et al., LSTM language-model ensemble", Source: "arXiv 1611.01726 (2016)", AUC: &kim, Note: "ensemble of LSTM language models, ADFA-LD, mean negative log-likelihood"},
		{Name: "Creech & Hu, semantic features + ELM", Source: "IEEE Trans. Computers 63(4), 2014", Note: "ADFA-LD's authors; reported about 90% detection at about 15% false alarms (as commonly quoted)"},
	}
}

// Evaluate scores the model's systems and STIDE, and computes the trace
// metrics, the LID-DS metrics where the traces have times, and the report.
func (d *data) Evaluate(ctx context.Context, results []tasks.Result, env tasks.Env) (tasks.Evaluation, error) {
	if len(results) != max(1, d.cfg.Ensemble.Size) {
		return tasks.Evaluation{}, fmt.Errorf("syscalls: %d unit results, want %d", len(results), max(1, d.cfg.Ensemble.Size))
	}
	model, singles, err := d.ensembleSystems(results, env.Kind)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	stide, err := d.stideSystems()
	if err != nil {
		return tasks.Evaluation{}, err
	}
	systems := append(append(model, stide...), singles...)
	m := &Metrics{Config: env.Name, Date: time.Now().UTC().Format(time.RFC3339), Machine: tasks.Machine(), Commit: tasks.Commit(),
		Parameters: results[0].Params, Data: d.summary(), Anchors: anchors()}
	best := -1.0
	for _, s := range systems {
		if len(d.normal) == 0 {
			break // a LID-DS sample of exploit recordings only: no trace-level ROC
		}
		sc, err := d.score(s)
		if err != nil {
			return tasks.Evaluation{}, fmt.Errorf("%s: %w", s.Name, err)
		}
		m.Systems = append(m.Systems, sc)
		var n int
		if _, err := fmt.Sscanf(s.Name, "STIDE n=%d", &n); err == nil && !strings.Contains(s.Name, "mismatch") && sc.AUC > best {
			best, m.BestStideN = sc.AUC, n
		}
	}
	if d.hasTimes() {
		for _, s := range []system{model[0], stide[0]} {
			r, err := d.lidds(s)
			if err != nil {
				return tasks.Evaluation{}, fmt.Errorf("%s: LID-DS metrics: %w", s.Name, err)
			}
			m.LIDDS = append(m.LIDDS, LIDDSScore{Name: s.Name, LIDDSResult: r})
		}
	}
	if err := d.writeReport(env, m, systems, results); err != nil {
		return tasks.Evaluation{}, err
	}
	m.Seconds = time.Since(env.Start).Seconds()
	return tasks.Evaluation{Metrics: m, Summary: summary(m)}, ctx.Err()
}

// traceScores are a system's test scores split into normal and attack.
func (d *data) traceScores(s system) eval.TraceScores {
	ts := eval.TraceScores{Normal: s.Test[:len(d.normal)], Attack: s.Test[len(d.normal):]}
	for _, t := range d.attacks {
		ts.Family = append(ts.Family, t.Family)
	}
	return ts
}

// score computes a system's trace metrics.
func (d *data) score(s system) (SystemScore, error) {
	ts := d.traceScores(s)
	rep, err := eval.EvaluateTraces(ts, d.cfg.Eval.FalseAlarmRates)
	if err != nil {
		return SystemScore{}, err
	}
	th, err := eval.ThresholdForFalseAlarm(s.Val, 0)
	if err != nil {
		return SystemScore{}, err
	}
	at, err := eval.TracesAtThreshold(ts, th)
	if err != nil {
		return SystemScore{}, err
	}
	return SystemScore{Name: s.Name, AUC: rep.AUC, AtFalseAlarm: rep.AtFalseAlarm, AtValidationMax: at}, nil
}

// hasTimes reports whether the test traces carry timestamps (LID-DS).
func (d *data) hasTimes() bool {
	for _, t := range d.attacks {
		if t.Times == nil {
			return false
		}
	}
	return len(d.attacks) > 0
}

// lidds computes the LID-DS metrics of a system's per-call scores; the
// threshold is the largest score of a validation call.
func (d *data) lidds(s system) (eval.LIDDSResult, error) {
	th := 0.0
	for _, c := range s.ValCalls {
		th = math.Max(th, maxOf(c))
	}
	var recs []eval.Recording
	for i, t := range d.test() {
		scores := make([]float64, t.Calls)
		for k, v := range s.TestCalls[i] {
			if !math.IsNaN(v) {
				scores[k] = v
			}
		}
		recs = append(recs, eval.Recording{Name: t.ID, Exploit: t.Attack && t.Exploit != 0, ExploitStart: t.Exploit, Times: t.Times, Scores: scores})
	}
	return eval.EvaluateLIDDS(recs, th)
}

// summary describes the data of the run.
func (d *data) summary() DataSummary {
	s := DataSummary{Kind: d.cfg.Data.Kind, Train: len(d.train), Validation: len(d.val), TestNormal: len(d.normal),
		TestAttack: len(d.attacks), Families: map[string]int{}, Vocabulary: d.vocab.Len(), ThreadAware: d.cfg.Data.ThreadAware, Note: d.note}
	for _, t := range d.attacks {
		s.Families[t.Family]++
	}
	for _, t := range d.train {
		s.TrainCalls += t.Calls
	}
	return s
}

// summary is a short plain-text table of the results.
func summary(m *Metrics) string {
	var b strings.Builder
	d := m.Data
	fmt.Fprintf(&b, "%s: %s, %d training / %d validation / %d normal test / %d attack traces, %d parameters, %.0fs\n",
		m.Config, d.Kind, d.Train, d.Validation, d.TestNormal, d.TestAttack, m.Parameters, m.Seconds)
	w := 26 // the name column: as wide as the longest name
	for _, s := range m.Systems {
		w = max(w, len(s.Name))
	}
	if len(m.Systems) == 0 {
		fmt.Fprintln(&b, "no normal test traces: no trace-level ROC")
	} else {
		fmt.Fprintf(&b, "%-*s %7s", w, "", "AUC")
		for _, op := range m.Systems[0].AtFalseAlarm {
			fmt.Fprintf(&b, "  DR@%4.1f%%FA", 100**op.TargetFA)
		}
		fmt.Fprintf(&b, "  %-22s\n", "at validation max: DR / FA")
	}
	for _, s := range m.Systems {
		fmt.Fprintf(&b, "%-*s %7.4f", w, s.Name, s.AUC)
		for _, op := range s.AtFalseAlarm {
			fmt.Fprintf(&b, "  %9.1f%%", 100*op.DetectionRate)
		}
		fmt.Fprintf(&b, "  %5.1f%% / %5.1f%%\n", 100*s.AtValidationMax.DetectionRate, 100*s.AtValidationMax.FalseAlarmRate)
	}
	for _, l := range m.LIDDS {
		fmt.Fprintf(&b, "LID-DS %s: detection %d/%d, false alarms per call %.2g, consecutive false alarms %d", l.Name, l.Detected, l.ExploitCount, l.FalseAlarmsPerCall, l.ConsecutiveFalseAlarms)
		if l.MeanLatencyS != nil {
			fmt.Fprintf(&b, ", mean latency %.4g s", *l.MeanLatencyS)
		}
		fmt.Fprintln(&b)
	}
	return b.String()
}
