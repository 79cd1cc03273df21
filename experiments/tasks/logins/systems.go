package logins

import (
	"fmt"
	"net/netip"

	ds "github.com/vigil-ml/vigil/datasets/logins"
	"github.com/vigil-ml/vigil/eval"
	"github.com/vigil-ml/vigil/eval/baseline"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// system is one detector's scores on a test set, higher = more anomalous.
type system struct {
	id, name string
	scores   []float64
}

// baselines are the example's tables of the (entity, address) and the
// (entity, /24) pairs of the training events.
type baselines struct{ ip, subnet *baseline.IPTableModel }

func fitBaselines(train []ds.Event) (baselines, error) {
	entities := make([]string, len(train))
	ips := make([]netip.Addr, len(train))
	for i, e := range train {
		entities[i], ips[i] = e.Entity, e.IP
	}
	ip, err := baseline.IPTable{Prefix: 32}.Fit(entities, ips)
	if err != nil {
		return baselines{}, err
	}
	subnet, err := baseline.IPTable{Prefix: 24}.Fit(entities, ips)
	return baselines{ip, subnet}, err
}

// systems scores events with both tables.
func (b baselines) systems(events []ds.LabelledEvent) ([]system, error) {
	out := []system{{id: "ip_table", name: "IP table (/32)"}, {id: "subnet_table", name: "subnet table (/24)"}}
	for k, t := range []*baseline.IPTableModel{b.ip, b.subnet} {
		out[k].scores = make([]float64, len(events))
		for i, e := range events {
			s, err := t.Score(e.Entity, e.IP)
			if err != nil {
				return nil, err
			}
			out[k].scores[i] = s
		}
	}
	return out, nil
}

// modelScores is the model's first score of set: one value per example.
func modelScores(r tasks.Result, set string, n int) ([]float64, string, error) {
	s, err := r.Primary(set)
	if err != nil {
		return nil, "", err
	}
	if s.Width != 1 || len(s.Values) != n {
		return nil, "", fmt.Errorf("logins: score %q of set %s has %d values of width %d, want %d of width 1", s.Name, set, len(s.Values), s.Width, n)
	}
	return s.Values, s.Name, nil
}

// measure computes a system's AUC and its false-positive rate at each
// detection rate.
func measure(s system, labels []bool, tprs []float64) (SystemResult, error) {
	auc, err := eval.ROCAUC(s.scores, labels)
	if err != nil {
		return SystemResult{}, fmt.Errorf("%s: %w", s.name, err)
	}
	var pos, neg []float64
	for i, v := range s.scores {
		if labels[i] {
			pos = append(pos, v)
		} else {
			neg = append(neg, v)
		}
	}
	r := SystemResult{ID: s.id, Name: s.name, AUC: auc}
	for _, tpr := range tprs {
		fpr, th, err := eval.FalseAlarmAtDetection(pos, neg, tpr)
		if err != nil {
			return SystemResult{}, fmt.Errorf("%s: %w", s.name, err)
		}
		r.AtDetection = append(r.AtDetection, Operating{TPR: tpr, FPR: fpr, Threshold: th})
	}
	return r, nil
}

// discriminatorAUC separates the validation pairs (normal) from the
// random-address pairs (anomalous) by the model's anomaly score.
func discriminatorAUC(val, random []float64) (float64, error) {
	scores := append(append([]float64(nil), val...), random...)
	labels := make([]bool, len(scores))
	for i := len(val); i < len(labels); i++ {
		labels[i] = true
	}
	return eval.ROCAUC(scores, labels)
}
