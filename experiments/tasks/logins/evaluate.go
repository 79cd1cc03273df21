package logins

import (
	"context"
	"fmt"
	"time"

	ds "github.com/vigil-ml/vigil/datasets/logins"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// setEval is one attack set's labels, systems (model first) and result.
type setEval struct {
	labels  []bool
	systems []system
	result  AttackResult
}

// Evaluate computes the discriminator AUC and, per attack rate, the
// model's and the baselines' AUC and false-positive rates at the
// detection rates, and writes report.html.
func (d *data) Evaluate(ctx context.Context, results []tasks.Result, env tasks.Env) (tasks.Evaluation, error) {
	if len(results) != 1 {
		return tasks.Evaluation{}, fmt.Errorf("logins: %d unit results, want 1", len(results))
	}
	r := results[0]
	m := &Metrics{Config: env.Name, Date: time.Now().UTC().Format(time.RFC3339), Machine: tasks.Machine(),
		Commit: tasks.Commit(), Parameters: r.Params, Data: d.summary()}
	val, _, err := modelScores(r, setValidation, len(d.sp.val))
	if err != nil {
		return tasks.Evaluation{}, err
	}
	random, _, err := modelScores(r, setDiscriminator, len(d.disc))
	if err != nil {
		return tasks.Evaluation{}, err
	}
	if m.DiscriminatorAUC, err = discriminatorAUC(val, random); err != nil {
		return tasks.Evaluation{}, fmt.Errorf("discriminator AUC: %w", err)
	}
	b, err := fitBaselines(d.trainEvents())
	if err != nil {
		return tasks.Evaluation{}, err
	}
	var sets []setEval
	for _, ts := range d.sets {
		se, err := d.evaluateSet(ts, r, b, modelName(env.Kind))
		if err != nil {
			return tasks.Evaluation{}, fmt.Errorf("%s: %w", ts.name, err)
		}
		sets = append(sets, se)
		m.Attacks = append(m.Attacks, se.result)
	}
	if err := d.writeReport(ctx, env, m, sets, r, val, random); err != nil {
		return tasks.Evaluation{}, err
	}
	m.Seconds = time.Since(env.Start).Seconds()
	return tasks.Evaluation{Metrics: m, Summary: summary(m)}, ctx.Err()
}

func modelName(kind string) string {
	if kind == "" {
		return "model"
	}
	return kind
}

// evaluateSet scores one attack set; without attacks or normal events it
// says so instead of measuring.
func (d *data) evaluateSet(ts testSet, r tasks.Result, b baselines, name string) (setEval, error) {
	scores, _, err := modelScores(r, ts.name, len(ts.events))
	if err != nil {
		return setEval{}, err
	}
	base, err := b.systems(ts.events)
	if err != nil {
		return setEval{}, err
	}
	se := setEval{systems: append([]system{{id: "model", name: name, scores: scores}}, base...)}
	res := AttackResult{Set: ts.name, Rate: ts.rate, Events: len(ts.events), Attack: ts.attacks,
		Normal: len(ts.events) - ts.attacks, Redrawn: ts.redrawn}
	for _, e := range ts.events {
		se.labels = append(se.labels, e.Attack)
	}
	switch {
	case res.Attack == 0:
		res.Note = fmt.Sprintf("no attacks: %v of %d test events rounds to none; no AUC or false-positive rates", ts.rate, res.Events)
	case res.Normal == 0:
		res.Note = fmt.Sprintf("no normal events: all %d test events are attacks; no AUC or false-positive rates", res.Events)
	default:
		for _, s := range se.systems {
			sr, err := measure(s, se.labels, d.cfg.Eval.DetectionRates)
			if err != nil {
				return setEval{}, err
			}
			res.Systems = append(res.Systems, sr)
		}
	}
	se.result = res
	return se, nil
}

// summary counts the data of the run.
func (d *data) summary() DataSummary {
	st := d.src.stats
	s := DataSummary{Kind: d.cfg.Data.Kind, Records: st.Records, Events: len(d.src.events), Ignored: st.Ignored,
		NotAccepted: d.src.notAccepted, Sampled: d.sp.sampled, Split: "order",
		Train: len(d.sp.train), Validation: len(d.sp.val), Test: len(d.sp.test), UnknownDropped: d.sp.unknown,
		Networks: len(d.nets), ObservedNetworks: d.observed, Note: d.src.note}
	if d.sp.byTime {
		s.Split, s.Boundary = "time", d.sp.boundary.Format(time.RFC3339)
	}
	for r, n := range st.Skipped {
		if s.Skipped == nil {
			s.Skipped = map[string]int{}
		}
		s.Skipped[string(r)] = n
	}
	s.Entities = countEntities(d.src.events, nil)
	s.TrainEntities = countEntities(d.sp.period, d.sp.train)
	s.TestEntities = countEntities(d.sp.test, nil)
	return s
}

// countEntities counts the distinct entities of events[idx] (idx nil: all).
func countEntities(events []ds.Event, idx []int) int {
	seen := map[string]bool{}
	if idx == nil {
		for _, e := range events {
			seen[e.Entity] = true
		}
	}
	for _, i := range idx {
		seen[events[i].Entity] = true
	}
	return len(seen)
}
