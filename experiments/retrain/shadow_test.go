package retrain

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/eval/compare"
	"github.com/vigil-ml/vigil/eval/drift"
	"github.com/vigil-ml/vigil/experiments"
)

// minerChampion is a small crypto-miner model: a random forest deployed
// from a nested cross-validation on generated process windows.
const minerChampion = `
version: 1
name: miner-nightly
task: miner
seed: 2
data: {programs: 40, miner_fraction: 0.2, duration: 40m, window: 10m, seed: 21, period: 1}
protocol: {pipelines: [rf], outer_folds: 3, inner_folds: 2, repeats: 1, resamples: 200, holdout: 0.25, target_precision: 0.9}
rf: {trees: 30}
`

// The shadow comparison of a tabular task, end to end: the challenger is
// fitted on a new window, the champion scores the same held-out programs
// of that window silently, both holdout.json files pair row by row, and
// DeLong's test and the drift tests on the champion's class probabilities
// decide.
func TestShadowComparisonOnMinerTask(t *testing.T) {
	dir := t.TempDir()
	served := filepath.Join(dir, "served")
	cfg, err := experiments.Parse([]byte(minerChampion), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := experiments.Run(context.Background(), cfg, experiments.RunOptions{Out: served}); err != nil {
		t.Fatal(err)
	}
	o := Options{Champion: served, Sets: []string{"data.period=2"}, Metric: "deployed.holdout.pr_auc.point", Test: compare.TestDeLong}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Test == nil || rep.Test.Test != compare.TestDeLong || rep.Test.N == 0 {
		t.Fatalf("no paired test in the report: %+v", rep)
	}
	if rep.Decision == Promoted && !(rep.Test.P < 0.05) {
		t.Errorf("promoted with p = %v", rep.Test.P)
	}
	champ, err := compare.ReadHoldout(filepath.Join(rep.ChallengerDir, "champion", compare.HoldoutFile))
	if err != nil {
		t.Fatal(err)
	}
	chall, err := compare.ReadHoldout(filepath.Join(rep.ChallengerDir, compare.HoldoutFile))
	if err != nil {
		t.Fatal(err)
	}
	a, b := slices.Clone(champ.IDs), slices.Clone(chall.IDs)
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) || len(a) == 0 {
		t.Errorf("champion and challenger scored different rows (%d and %d)", len(a), len(b))
	}
	var probability bool
	for _, d := range rep.Drift {
		probability = probability || d.Feature == "probability"
	}
	if !probability {
		t.Errorf("no drift test on the class probabilities: %+v", rep.Drift)
	}
	if _, err := os.Stat(filepath.Join(rep.ChallengerDir, "retrain.json")); err != nil {
		t.Error(err)
	}
}

// runMiner fits the tiny miner task with sets into dir.
func runMiner(t *testing.T, dir string, sets ...string) {
	t.Helper()
	cfg, err := experiments.Parse([]byte(minerChampion), sets)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := experiments.Run(context.Background(), cfg, experiments.RunOptions{Out: dir}); err != nil {
		t.Fatal(err)
	}
}

// A shadow candidate replaces the champion only when the paired test
// finds it better on the same traffic: a random forest displaces an
// isolation forest, and not the other way round; the promoted candidate
// is a release that a rollback leaves.
func TestShadowPromotesOnlyABetterCandidate(t *testing.T) {
	dir := t.TempDir()
	served := filepath.Join(dir, "served")
	runMiner(t, served, "protocol.pipelines=[iforest]", "protocol.deploy=iforest", "iforest.trees=30")
	forest := filepath.Join(dir, "forest")
	runMiner(t, forest, "data.period=3")
	// The traffic is another period of the same programs.
	// The hold-outs hold about ten programs, too few for PSI on the
	// scores to tell drift from another mix of programs: its alarm is
	// raised out of the way; this test is about the paired test.
	s := ShadowOptions{Champion: served, Candidate: forest, Sets: []string{"data.period=4"}, Metric: "deployed.holdout.pr_auc.point", Test: compare.TestDeLong,
		Drift: DriftConfig{PSI: drift.PSIConfig{Alarm: 100}}}
	rep, err := Shadow(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Decision != Promoted || rep.Test == nil || !(rep.Test.P < 0.05) {
		t.Fatalf("a forest against an isolation forest: %s (%s)", rep.Decision, rep.Reason)
	}
	cur, err := Current(served)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(cur) != filepath.Clean(served)+".releases" || !strings.HasPrefix(filepath.Base(cur), "forest-") {
		t.Errorf("served %s after promotion", cur)
	}
	if _, err := os.Stat(filepath.Join(cur, "model.json")); err != nil {
		t.Error(err)
	}
	// The isolation forest, now the candidate, is kept out.
	iso := filepath.Join(dir, "iso")
	runMiner(t, iso, "protocol.pipelines=[iforest]", "protocol.deploy=iforest", "iforest.trees=30", "data.period=5")
	s.Candidate, s.Out = iso, filepath.Join(dir, "shadow2")
	rep, err = Shadow(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Decision != Kept {
		t.Errorf("an isolation forest against a forest: %s (%s)", rep.Decision, rep.Reason)
	}
	if back, err := Rollback(served); err != nil || filepath.Base(back) != "initial" {
		t.Errorf("rollback to %s, %v", back, err)
	}
}
