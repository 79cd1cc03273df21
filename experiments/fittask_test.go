package experiments

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/experiments/tasks"
)

const tinyMiner = `version: 1
name: tiny-miner
task: miner
data: {programs: 30, miner_fraction: 0.2, duration: 40m, window: 10m}
protocol: {pipelines: [rf, iforest], outer_folds: 3, inner_folds: 2, repeats: 1, resamples: 200, holdout: 0.25, target_precision: 0.9}
rf: {trees: 20}
iforest: {trees: 20}
`

// A task that fits its own models has no model: section, and its config
// survives config.json.
func TestFitTaskConfig(t *testing.T) {
	if _, err := Parse([]byte(tinyMiner), []string{"model.kind=lstm"}); err == nil || !strings.Contains(err.Error(), "fits its own models") {
		t.Fatalf("model.kind for a fit task: %v", err)
	}
	if _, err := Parse([]byte(tinyMiner+"model: {hidden: 3}\n"), nil); err == nil || !strings.Contains(err.Error(), "model") {
		t.Fatalf("a model: section for a fit task: %v", err)
	}
	if _, err := Parse([]byte(tinyMiner), []string{"protocol.pipelines=[rf, smote+iforest]"}); err == nil || !strings.Contains(err.Error(), "one-class") {
		t.Fatalf("oversampled one-class pipeline: %v", err)
	}
	cfg, err := Parse([]byte(tinyMiner), []string{"rf.max_depth=[3, 5]"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), `"model"`) {
		t.Errorf("config.json of a fit task has a model section: %s", raw)
	}
	back, err := Parse(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(raw) {
		t.Errorf("config.json does not round-trip:\n%s\n%s", raw, again)
	}
}

// vigil run on a fit task writes its files, and a saved model rescored on
// another window of data (EvaluateOn) scores that window's hold-out.
func TestFitTaskRunAndEvaluateOn(t *testing.T) {
	cfg, err := Parse([]byte(tinyMiner), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	res, err := Run(context.Background(), cfg, RunOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config.json", "metrics.json", "report.html", "model.json", "holdout.json", "pr_pipelines.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(res.Summary(), "rf") || !strings.Contains(res.Summary(), "iforest") {
		t.Errorf("summary: %s", res.Summary())
	}
	next, err := Parse([]byte(tinyMiner), []string{"data.seed=99"})
	if err != nil {
		t.Fatal(err)
	}
	champ := t.TempDir()
	if _, err := EvaluateOn(context.Background(), out, next, RunOptions{Out: champ}); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Deployed struct {
			Pipeline string  `json:"pipeline"`
			Thresh   float64 `json:"threshold"`
		} `json:"deployed"`
		HoldoutRows int `json:"holdout_rows"`
	}
	b, err := os.ReadFile(filepath.Join(champ, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Deployed.Pipeline != "rf" || m.HoldoutRows == 0 {
		t.Errorf("rescored metrics: %s", b)
	}
}

// Every registered task is a unit task or a fit task, never both, and a
// fit task has no default model family.
func TestTasksAreUnitOrFitTasks(t *testing.T) {
	for _, task := range taskList() {
		_, unit := task.(tasks.UnitTask)
		_, fit := task.(tasks.FitTask)
		if unit == fit {
			t.Errorf("task %s: unit task %v, fit task %v", task.Name(), unit, fit)
		}
		if fit && task.DefaultKind() != "" {
			t.Errorf("fit task %s names a model family %q", task.Name(), task.DefaultKind())
		}
		if _, profiles := task.(tasks.FitProfiler); fit && !profiles {
			t.Errorf("fit task %s does not profile its inputs for drift tests", task.Name())
		}
	}
}
