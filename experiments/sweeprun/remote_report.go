package sweeprun

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/vigil-ml/vigil/experiments/artifacts"
	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/sweep"
)

// PlannedReport is a planned sweep's state as ReportSweep read it.
type PlannedReport struct {
	Dir    string // the local folder holding report.html and trials.csv
	Spec   Spec   // as stored in the registry
	Trials []sweep.Trial
}

// ReportSweep writes the report of a planned sweep (PlanSweep) while or
// after its workers run: it rebuilds every attempt of every trial from
// the registry (state, objective, pruning figure per epoch, error) and
// the store (the points), as a resumed `vigil sweep` does from its
// folder, and writes report.html, its sweep_*.png charts and trials.csv
// into the sweep's folder of the store. Pending trials count as running.
// A retried trial appears once per attempt, under its attempt's number
// (see WorkerOptions.Retries).
func ReportSweep(ctx context.Context, reg *registry.Registry, store artifacts.Store, sweepID int64) (PlannedReport, error) {
	if reg == nil || store == nil {
		return PlannedReport{}, errors.New("sweeprun: ReportSweep needs a registry and a store")
	}
	sw, err := reg.GetSweep(ctx, sweepID)
	if err != nil {
		return PlannedReport{}, err
	}
	spec, err := decodeSpec(sw.SpecJSON)
	if err != nil {
		return PlannedReport{}, fmt.Errorf("sweep %d: %w", sweepID, err)
	}
	if _, err := readBase(ctx, store, sweepID); err != nil {
		return PlannedReport{}, err
	}
	space, err := sweep.Decode(spec.Space)
	if err != nil {
		return PlannedReport{}, err
	}
	rows, err := reg.SweepTrials(ctx, sweepID)
	if err != nil {
		return PlannedReport{}, err
	}
	n := spec.Budget.Trials
	points := map[int]sweep.Point{}
	var trials []sweep.Trial
	for _, row := range rows {
		i := row.TrialNumber % n
		pt, ok := points[i]
		if !ok {
			b, err := store.Get(ctx, TrialPrefix(sweepID, i)+"/"+pointFile)
			if err != nil {
				return PlannedReport{}, fmt.Errorf("trial %d: %w", i, err)
			}
			if pt, err = decodePoint(b, space); err != nil {
				return PlannedReport{}, fmt.Errorf("trial %d: %w", i, err)
			}
			points[i] = pt
		}
		run, err := reg.GetRun(ctx, row.ID)
		if err != nil {
			return PlannedReport{}, err
		}
		t, err := trialFromRun(ctx, reg, spec, run, pt)
		if err != nil {
			return PlannedReport{}, err
		}
		trials = append(trials, t)
	}
	prefix := SweepPrefix(sweepID)
	dir, err := store.Checkout(ctx, prefix)
	if err != nil {
		return PlannedReport{}, err
	}
	rep := PlannedReport{Dir: dir, Spec: spec, Trials: trials}
	err = errors.Join(writeTrialsCSV(filepath.Join(dir, "trials.csv"), space, trials), writeReport(dir, spec, space, trials))
	return rep, errors.Join(err, store.Commit(ctx, prefix, dir))
}
