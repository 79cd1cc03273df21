package eval

import "fmt"

// UserScores holds one SEA user's anomaly scores. Train scores the user's own
// clean training data (for example leave-one-block-out training blocks) and
// sets that user's threshold; Test scores the test blocks in order, with
// Labels true for masquerade blocks.
type UserScores struct {
	User   string    `json:"user"`
	Train  []float64 `json:"train"`
	Test   []float64 `json:"test"`
	Labels []bool    `json:"labels"`
}

// TargetResult is the outcome at one target false-alarm rate. Rates are in
// [0, 1] and Cost is the Maxion-Townsend cost in percent units. Threshold is
// set for pooled results only; UserThresholds, keyed by user, for per-user
// results only.
type TargetResult struct {
	TargetFA       float64            `json:"target_fa"`
	HitRate        float64            `json:"hit_rate"`
	FalseAlarmRate float64            `json:"false_alarm_rate"`
	Cost           float64            `json:"cost"`
	Threshold      *float64           `json:"threshold,omitempty"`
	UserThresholds map[string]float64 `json:"user_thresholds,omitempty"`
}

// SEAResult is the SEA protocol summary: AUC of all test blocks pooled, and
// one TargetResult per target false-alarm rate with a single pooled threshold
// (Pooled) and with per-user thresholds from training scores (PerUser).
// Positives and Negatives count the masquerade and normal test blocks.
type SEAResult struct {
	AUC       float64        `json:"auc"`
	Positives int            `json:"positives"`
	Negatives int            `json:"negatives"`
	Pooled    []TargetResult `json:"pooled"`
	PerUser   []TargetResult `json:"per_user"`
}

// DefaultTargets returns the usual SEA false-alarm targets: 1%, 1.3%, 5%.
func DefaultTargets() []float64 { return []float64{0.01, 0.013, 0.05} }

// EvaluateSEA scores the SEA protocol over users for each target false-alarm
// rate in targets (each in [0, 1); nil means DefaultTargets).
//
// Pooled results choose one threshold over all test scores, the best hit rate
// with a false-alarm rate at most the target (HitRateAtFalseAlarm). Per-user
// results give each user the threshold ThresholdForFalseAlarm(Train, target)
// and pool the resulting test counts over users, so hit rate is total hits
// over total masquerade blocks and false-alarm rate total false alarms over
// total normal blocks; the achieved false-alarm rate may exceed the target.
//
// Errors: no users, duplicate user names, a user without training scores or
// with mismatched test scores and labels, non-finite scores, a target outside
// [0, 1), or pooled labels lacking either class (ErrOneClass).
func EvaluateSEA(users []UserScores, targets []float64) (SEAResult, error) {
	if targets == nil {
		targets = DefaultTargets()
	}
	for _, t := range targets {
		if err := checkRate("target false-alarm rate", t, false); err != nil {
			return SEAResult{}, err
		}
	}
	scores, labels, err := poolUsers(users)
	if err != nil {
		return SEAResult{}, err
	}
	var res SEAResult
	if res.Positives, res.Negatives, err = countClasses(labels); err != nil {
		return SEAResult{}, err
	}
	if res.AUC, err = ROCAUC(scores, labels); err != nil {
		return SEAResult{}, err
	}
	for _, t := range targets {
		op, err := HitRateAtFalseAlarm(scores, labels, t)
		if err != nil {
			return SEAResult{}, fmt.Errorf("eval: pooled threshold at %v: %w", t, err)
		}
		th := op.Threshold
		res.Pooled = append(res.Pooled, TargetResult{
			TargetFA: t, HitRate: op.HitRate, FalseAlarmRate: op.FalseAlarmRate,
			Cost: op.Cost, Threshold: &th,
		})
		pu, err := perUserAt(users, t)
		if err != nil {
			return SEAResult{}, err
		}
		res.PerUser = append(res.PerUser, pu)
	}
	return res, nil
}

// poolUsers validates users and concatenates their test scores and labels.
func poolUsers(users []UserScores) ([]float64, []bool, error) {
	if len(users) == 0 {
		return nil, nil, fmt.Errorf("eval: no users to evaluate")
	}
	seen := make(map[string]bool, len(users))
	var scores []float64
	var labels []bool
	for _, u := range users {
		if seen[u.User] {
			return nil, nil, fmt.Errorf("eval: duplicate user %q", u.User)
		}
		seen[u.User] = true
		if len(u.Train) == 0 {
			return nil, nil, fmt.Errorf("eval: user %q has no training scores", u.User)
		}
		if err := checkFinite(u.Train); err != nil {
			return nil, nil, fmt.Errorf("eval: user %q training: %w", u.User, err)
		}
		if err := checkScores(u.Test, u.Labels); err != nil {
			return nil, nil, fmt.Errorf("eval: user %q test: %w", u.User, err)
		}
		scores = append(scores, u.Test...)
		labels = append(labels, u.Labels...)
	}
	return scores, labels, nil
}

// perUserAt applies each user's own threshold at target and pools the counts.
func perUserAt(users []UserScores, target float64) (TargetResult, error) {
	var total Confusion
	ths := make(map[string]float64, len(users))
	for _, u := range users {
		th, err := ThresholdForFalseAlarm(u.Train, target)
		if err != nil {
			return TargetResult{}, fmt.Errorf("eval: user %q threshold: %w", u.User, err)
		}
		c, err := ConfusionAt(u.Test, u.Labels, th)
		if err != nil {
			return TargetResult{}, fmt.Errorf("eval: user %q: %w", u.User, err)
		}
		ths[u.User] = th
		total = total.Add(c)
	}
	return TargetResult{
		TargetFA:       target,
		HitRate:        total.HitRate(),
		FalseAlarmRate: total.FalseAlarmRate(),
		Cost:           total.Cost(),
		UserThresholds: ths,
	}, nil
}
