package sweeprun

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/experiments/artifacts"
	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/sweep"
)

func openStore(t *testing.T) *artifacts.Dir {
	t.Helper()
	st, err := artifacts.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// A planned sweep holds its trials' points in the store and one pending
// row each; workers run each trial once (a second worker for a done
// trial returns its outcome without training), and the report is
// rebuilt from the registry and the store.
func TestPlanAndWork(t *testing.T) {
	ctx := context.Background()
	reg, st := openRegistry(t), openStore(t)
	spec := testSpec(t, "budget: {trials: 3}\n")
	plan, err := PlanSweep(ctx, spec, PlanOptions{Registry: reg, Store: st, Base: []byte(base)})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Points) != 3 || plan.Spec.Budget.Trials != 3 || plan.Prefix != SweepPrefix(plan.SweepID) {
		t.Fatalf("plan: %+v", plan)
	}
	// Trial n is drawn from the stream (seed, n), as `vigil sweep` draws it.
	space, _ := sweep.Decode(spec.Space)
	first, _ := sweep.NewRandom(space).Sample(nil, rand.New(rand.NewPCG(spec.Seed, 0)))
	if !plan.Points[0].Equal(first) {
		t.Fatalf("trial 0 %s, want %s", plan.Points[0], first)
	}
	rows, err := reg.SweepTrials(ctx, plan.SweepID)
	if err != nil || len(rows) != 3 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	for i, r := range rows {
		if r.Status != registry.StatusPending || r.TrialNumber != i || r.OutDir != st.URI(TrialPrefix(plan.SweepID, i)) {
			t.Fatalf("row %d: %s %d %s", i, r.Status, r.TrialNumber, r.OutDir)
		}
	}
	for i := range 3 {
		res, err := Work(ctx, WorkerOptions{Registry: reg, Store: st, SweepID: plan.SweepID, Index: i, Host: "w"})
		if err != nil || !res.Ran || res.Trial.State != sweep.Complete || res.Trial.Number != i || !res.Trial.Params.Equal(plan.Points[i]) {
			t.Fatalf("trial %d: %+v %v", i, res, err)
		}
	}
	again, err := Work(ctx, WorkerOptions{Registry: reg, Store: st, SweepID: plan.SweepID, Index: 1})
	if err != nil || again.Ran || again.Trial.State != sweep.Complete || again.Trial.Value == 0 {
		t.Fatalf("second worker of a done trial: %+v %v", again, err)
	}
	if sw, _ := reg.GetSweep(ctx, plan.SweepID); sw.Status != registry.SweepComplete {
		t.Fatalf("sweep status %s", sw.Status)
	}
	for i := range 3 {
		for _, f := range []string{"point.json", "metrics.json", "report.html"} {
			if _, err := st.Get(ctx, TrialPrefix(plan.SweepID, i)+"/"+f); err != nil {
				t.Fatalf("trial %d: %v", i, err)
			}
		}
	}
	rep, err := ReportSweep(ctx, reg, st, plan.SweepID)
	if err != nil || len(rep.Trials) != 3 {
		t.Fatalf("report: %d trials, %v", len(rep.Trials), err)
	}
	for _, f := range []string{"report.html", "trials.csv"} {
		if _, err := os.Stat(filepath.Join(rep.Dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Work(ctx, WorkerOptions{Registry: reg, Store: st, SweepID: plan.SweepID, Index: 3}); err == nil {
		t.Fatal("a trial beyond the plan was accepted")
	}
}

// TPE cannot be planned; a grid plans at most its size.
func TestPlanSamplers(t *testing.T) {
	ctx := context.Background()
	reg, st := openRegistry(t), openStore(t)
	tpe := testSpec(t, "budget: {trials: 3}\n")
	tpe.Sampler = "tpe"
	if _, err := PlanSweep(ctx, tpe, PlanOptions{Registry: reg, Store: st, Base: []byte(base)}); err == nil ||
		!strings.Contains(err.Error(), "sampler: random") {
		t.Fatalf("tpe: %v", err)
	}
	grid, err := ParseSpec([]byte(`
name: g
base: tiny
space: {model.hidden: {choice: [8, 12]}, train.lr: {choice: [0.01, 1.0]}}
objective: {metric: systems.0.auc}
sampler: grid
`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := PlanSweep(ctx, grid, PlanOptions{Registry: reg, Store: st, Base: []byte(base), Trials: 10})
	if err != nil || len(plan.Points) != 4 {
		t.Fatalf("grid: %d points, %v", len(plan.Points), err)
	}
	// The stored spec keeps the space's number types: ints set ints, and
	// the whole float 1.0 stays a float.
	sw, err := reg.GetSweep(ctx, plan.SweepID)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := decodeSpec(sw.SpecJSON)
	if err != nil {
		t.Fatal(err)
	}
	space, err := sweep.Decode(stored.Space)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := sweep.NewGrid(space)
	var sets []string
	for _, pt := range g.Points() {
		sets = append(sets, pt.Sets()...)
	}
	for _, want := range []string{"model.hidden=8", "model.hidden=12", "train.lr=1.0", "train.lr=0.01"} {
		if !slices.Contains(sets, want) {
			t.Fatalf("stored grid sets %v, want %s", sets, want)
		}
	}
	if stored.Budget.Trials != 4 {
		t.Fatalf("stored budget %d", stored.Budget.Trials)
	}
}

// A failed attempt is retried only while Retries allows, as trial
// number k·N + i, in the same folder; a dead worker's attempt is waited
// for, then reaped once its heartbeat is StaleAfter old.
func TestWorkRetries(t *testing.T) {
	ctx := context.Background()
	reg, st := openRegistry(t), openStore(t)
	spec := testSpec(t, "budget: {trials: 2}\n")
	spec.Objective.Metric = "no.such.metric" // every training ends in a failed trial
	plan, err := PlanSweep(ctx, spec, PlanOptions{Registry: reg, Store: st, Base: []byte(base)})
	if err != nil {
		t.Fatal(err)
	}
	opts := WorkerOptions{Registry: reg, Store: st, SweepID: plan.SweepID, Index: 0, Retries: 1}
	for attempt := range 2 {
		res, err := Work(ctx, opts)
		if err == nil || !res.Ran || res.Attempt != attempt || res.Trial.Number != attempt*2 || res.Trial.State != sweep.Failed {
			t.Fatalf("attempt %d: %+v %v", attempt, res, err)
		}
	}
	res, err := Work(ctx, opts)
	if err == nil || res.Ran || !strings.Contains(err.Error(), "1 retries allowed") {
		t.Fatalf("no retries left: %+v %v", res, err)
	}

	// Trial 1 claimed by a worker that then died.
	if _, ok, err := reg.ClaimTrial(ctx, plan.SweepID, 1, "dead-host"); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	opts.Index, opts.Retries, opts.NoWait, opts.StaleAfter = 1, 0, true, time.Hour
	res, err = Work(ctx, opts)
	if err != nil || res.Ran || res.Trial.State != sweep.Running {
		t.Fatalf("taken trial, no wait: %+v %v", res, err)
	}
	opts.NoWait, opts.StaleAfter = false, 100*time.Millisecond
	start := time.Now()
	res, err = Work(ctx, opts)
	if err == nil || res.Ran || !strings.Contains(err.Error(), "no heartbeat since") || time.Since(start) < 100*time.Millisecond {
		t.Fatalf("dead worker's trial: %+v %v after %v", res, err, time.Since(start))
	}
	rows, _ := reg.SweepTrials(ctx, plan.SweepID)
	var numbers []int
	for _, r := range rows {
		numbers = append(numbers, r.TrialNumber)
	}
	if !slices.Equal(numbers, []int{0, 1, 2}) || rows[1].Status != registry.StatusFailed {
		t.Fatalf("rows %v, trial 1 %s", numbers, rows[1].Status)
	}
	if _, err := Work(ctx, WorkerOptions{Registry: reg, Store: st, SweepID: plan.SweepID + 1, Index: 0}); !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("unknown sweep: %v", err)
	}
}
