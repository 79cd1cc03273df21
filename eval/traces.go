package eval

import (
	"fmt"
	"math"
	"sort"
)

// TraceScores holds one anomaly score per test trace: Normal for normal
// traces and Attack for attack traces. Family, when set, names the attack
// family of each attack trace (len(Family) == len(Attack)).
type TraceScores struct {
	Normal []float64 `json:"normal"`
	Attack []float64 `json:"attack"`
	Family []string  `json:"family,omitempty"`
}

// FamilyDetection is the detection of one attack family: Detected of
// Attacks traces alarm, DetectionRate = Detected/Attacks.
type FamilyDetection struct {
	Family        string  `json:"family"`
	Attacks       int     `json:"attacks"`
	Detected      int     `json:"detected"`
	DetectionRate float64 `json:"detection_rate"`
}

// TraceOperating is the outcome at one threshold (score > Threshold
// alarms): Detected of the attack traces and FalseAlarms of the normal
// traces alarm. Families, sorted by name, is set when TraceScores.Family
// is. TargetFA is the false-alarm target the threshold was chosen for, if
// any.
type TraceOperating struct {
	TargetFA       *float64          `json:"target_fa,omitempty"`
	Threshold      float64           `json:"threshold"`
	DetectionRate  float64           `json:"detection_rate"`
	FalseAlarmRate float64           `json:"false_alarm_rate"`
	Detected       int               `json:"detected"`
	FalseAlarms    int               `json:"false_alarms"`
	Families       []FamilyDetection `json:"families,omitempty"`
}

// TraceReport summarises trace-level detection: the ROC curve and its area
// over all test traces (attack = positive), and one TraceOperating per
// false-alarm target.
type TraceReport struct {
	AUC          float64          `json:"auc"`
	ROC          []ROCPoint       `json:"roc"`
	Normals      int              `json:"normals"`
	Attacks      int              `json:"attacks"`
	AtFalseAlarm []TraceOperating `json:"at_false_alarm,omitempty"`
}

// EvaluateTraces returns the ROC curve and AUC of ts (ties as in ROC and
// ROCAUC: a tied attack-normal pair counts 1/2) and TracesAtFalseAlarm at
// each target in targets (each in [0, 1]; nil gives none). Errors: no
// normal or no attack traces (ErrOneClass), a non-finite score, a Family of
// the wrong length, or a target outside [0, 1].
func EvaluateTraces(ts TraceScores, targets []float64) (TraceReport, error) {
	scores, labels, err := ts.pooled()
	if err != nil {
		return TraceReport{}, err
	}
	pts, err := ROC(scores, labels)
	if err != nil {
		return TraceReport{}, err
	}
	rep := TraceReport{AUC: AUCFromROC(pts), ROC: pts, Normals: len(ts.Normal), Attacks: len(ts.Attack)}
	for _, fa := range targets {
		op, err := TracesAtFalseAlarm(ts, fa)
		if err != nil {
			return TraceReport{}, err
		}
		rep.AtFalseAlarm = append(rep.AtFalseAlarm, op)
	}
	return rep, nil
}

// TracesAtFalseAlarm thresholds ts at ThresholdForFalseAlarm(ts.Normal, fa):
// the smallest threshold at which at most floor(fa*len(Normal)) normal
// traces score strictly above it. Traces tied at the threshold do not alarm,
// so the false-alarm rate never exceeds fa even when ties prevent reaching
// it; among thresholds meeting fa this one detects the most attacks. Errors:
// those of TracesAtThreshold, or fa outside [0, 1].
func TracesAtFalseAlarm(ts TraceScores, fa float64) (TraceOperating, error) {
	if err := checkRate("false-alarm target", fa, true); err != nil {
		return TraceOperating{}, err
	}
	if err := ts.check(); err != nil {
		return TraceOperating{}, err
	}
	th, err := ThresholdForFalseAlarm(ts.Normal, fa)
	if err != nil {
		return TraceOperating{}, err
	}
	op, err := TracesAtThreshold(ts, th)
	if err != nil {
		return TraceOperating{}, err
	}
	op.TargetFA = &fa
	return op, nil
}

// TracesAtThreshold counts the traces of ts with score > threshold. For the
// usual fixed threshold, the largest score on normal validation traces, pass
// ThresholdForFalseAlarm(validation, 0). Errors: threshold NaN, no normal
// or no attack traces (ErrOneClass), a non-finite score, or a Family of the
// wrong length.
func TracesAtThreshold(ts TraceScores, threshold float64) (TraceOperating, error) {
	if math.IsNaN(threshold) {
		return TraceOperating{}, fmt.Errorf("eval: threshold is NaN")
	}
	if err := ts.check(); err != nil {
		return TraceOperating{}, err
	}
	op := TraceOperating{Threshold: threshold}
	for _, s := range ts.Normal {
		if s > threshold {
			op.FalseAlarms++
		}
	}
	fams := map[string]*FamilyDetection{}
	for i, s := range ts.Attack {
		alarm := s > threshold
		if alarm {
			op.Detected++
		}
		if ts.Family == nil {
			continue
		}
		f := fams[ts.Family[i]]
		if f == nil {
			f = &FamilyDetection{Family: ts.Family[i]}
			fams[f.Family] = f
		}
		f.Attacks++
		if alarm {
			f.Detected++
		}
	}
	op.DetectionRate = float64(op.Detected) / float64(len(ts.Attack))
	op.FalseAlarmRate = float64(op.FalseAlarms) / float64(len(ts.Normal))
	for _, f := range fams {
		f.DetectionRate = float64(f.Detected) / float64(f.Attacks)
		op.Families = append(op.Families, *f)
	}
	sort.Slice(op.Families, func(i, j int) bool { return op.Families[i].Family < op.Families[j].Family })
	return op, nil
}

// check reports no normal or no attack traces (ErrOneClass), a non-finite
// score, or a Family of the wrong length.
func (ts TraceScores) check() error {
	if len(ts.Normal) == 0 || len(ts.Attack) == 0 {
		return fmt.Errorf("%w (got %d attack, %d normal traces)", ErrOneClass, len(ts.Attack), len(ts.Normal))
	}
	if ts.Family != nil && len(ts.Family) != len(ts.Attack) {
		return fmt.Errorf("eval: %d attack families but %d attack traces", len(ts.Family), len(ts.Attack))
	}
	if err := checkFinite(ts.Normal); err != nil {
		return fmt.Errorf("eval: normal traces: %w", err)
	}
	if err := checkFinite(ts.Attack); err != nil {
		return fmt.Errorf("eval: attack traces: %w", err)
	}
	return nil
}

// pooled checks ts and returns its scores with labels, attacks true.
func (ts TraceScores) pooled() ([]float64, []bool, error) {
	if err := ts.check(); err != nil {
		return nil, nil, err
	}
	scores := append(append([]float64(nil), ts.Normal...), ts.Attack...)
	labels := make([]bool, len(scores))
	for i := len(ts.Normal); i < len(labels); i++ {
		labels[i] = true
	}
	return scores, labels, nil
}
