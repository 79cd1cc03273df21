package miner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/vigil-ml/vigil/datasets/miner"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/experiments/tasks/tabular"
	"github.com/vigil-ml/vigil/models"
)

// Task is the crypto-miner task; it fits its own pipelines (tabular.Fitter).
type Task struct{ tabular.Fitter }

// New returns the task.
func New() Task { return Task{Fitter: tabular.Fitter{Load: load}} }

func (Task) Name() string             { return "miner" }
func (Task) Sections() map[string]any { return sections() }
func (Task) DefaultKind() string      { return "" }
func (Task) Input(m map[string]any) (models.Input, error) {
	_, err := decode(m)
	return models.Input{}, err
}

// load generates or reads the events (or the features) and builds the table.
func load(ctx context.Context, m map[string]any, env tasks.Env) (tabular.Config, *tabular.Table, tabular.Info, error) {
	c, err := decode(m)
	if err != nil {
		return c.tabular, nil, tabular.Info{}, err
	}
	d := c.data
	var rows []miner.FeatureRow
	collect := func(r miner.FeatureRow) error {
		rows = append(rows, r)
		return ctx.Err()
	}
	var note string
	switch d.Source {
	case "generate":
		seed := d.Seed
		if seed == 0 {
			seed = env.Seed
		}
		gc := miner.Config{Programs: d.Programs, MinerFraction: d.MinerFraction, MinRuns: d.MinRuns, MaxRuns: d.MaxRuns, Duration: d.Duration, Period: d.Period}
		ds, err := miner.Generate(gc, rand.New(rand.NewPCG(seed, 0x6d696e6572)))
		if err != nil {
			return c.tabular, nil, tabular.Info{}, fmt.Errorf("miner: generate: %w", err)
		}
		w, err := miner.NewWindower(miner.WindowConfig{Length: d.Window}, collect)
		if err != nil {
			return c.tabular, nil, tabular.Info{}, err
		}
		events := 0
		for ev := range ds.Events() {
			events++
			if err := w.Add(ev); err != nil {
				return c.tabular, nil, tabular.Info{}, err
			}
		}
		if err := w.Close(); err != nil {
			return c.tabular, nil, tabular.Info{}, err
		}
		note = fmt.Sprintf("Synthetic process events (datasets/miner's generator, seed %d, period %d): %d programs (%d miners, %d families of legitimate programs with hard negatives such as builds, video encoders and scientific jobs), %d processes, %d events over %v.",
			seed, d.Period, len(ds.Programs), gc.Resolved().Miners(), len(miner.LegitimateFamilies()), len(ds.Processes), events, d.Duration)
	case "events":
		w, err := miner.NewWindower(miner.WindowConfig{Length: d.Window}, collect)
		if err != nil {
			return c.tabular, nil, tabular.Info{}, err
		}
		if err := miner.ReadEventsFile(d.Path, w.Add); err != nil {
			return c.tabular, nil, tabular.Info{}, err
		}
		if err := w.Close(); err != nil {
			return c.tabular, nil, tabular.Info{}, err
		}
		note = "Process events from " + d.Path + "."
	case "features":
		f, err := os.Open(d.Path)
		if err != nil {
			return c.tabular, nil, tabular.Info{}, err
		}
		defer f.Close()
		if err := miner.ReadFeatureCSV(f, collect); err != nil {
			return c.tabular, nil, tabular.Info{}, fmt.Errorf("%s: %w", d.Path, err)
		}
		note = "Window features from " + d.Path + "."
	}
	t := &tabular.Table{Features: miner.FeatureNames()}
	for _, r := range rows {
		group := r.Program
		if group == "" {
			group = fmt.Sprintf("pid-%d", r.PID)
		}
		t.X = append(t.X, append([]float64(nil), r.Values[:]...))
		t.Y = append(t.Y, r.Miner)
		t.Groups = append(t.Groups, group)
		t.IDs = append(t.IDs, fmt.Sprintf("%s/%d/%d", group, r.PID, r.WindowStart))
	}
	info := tabular.Info{Task: "miner", Title: "vigil: crypto-miner detection (" + env.Name + ")",
		Notes: []string{note, fmt.Sprintf("One row per process and %v window: %d features. Folds never split a program. One-class detectors (iforest, ocsvm) learn the legitimate windows of the training part only.", d.Window, len(t.Features))}}
	return c.tabular, t, info, nil
}
