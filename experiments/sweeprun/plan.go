package sweeprun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/artifacts"
	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/sweep"
)

// The store layout of a planned sweep: SweepPrefix(id)/base.yaml (the base
// config the workers build every trial's config from) and, per trial,
// TrialPrefix(id, i)/point.json beside the trial's run directory files.
const (
	baseConfigFile = "base.yaml"
	pointFile      = "point.json"
)

// SweepPrefix is sweep id's folder in an artefact store: "sweep-<id>".
func SweepPrefix(id int64) string { return "sweep-" + strconv.FormatInt(id, 10) }

// TrialPrefix is trial index's folder of sweep id: "sweep-<id>/trial-NNNN".
func TrialPrefix(id int64, index int) string {
	return fmt.Sprintf("%s/trial-%04d", SweepPrefix(id), index)
}

// PlanOptions are the settings of PlanSweep.
type PlanOptions struct {
	Registry *registry.Registry // required: the sweep and one pending row per trial
	Store    artifacts.Store    // required: base.yaml and each trial's point.json
	// Base is the base config's YAML (the file or embedded config that
	// Spec.Base names, read by the caller). It is copied to the store, so
	// that workers need neither the file nor the planning machine.
	Base []byte
	// Trials is how many trials to plan; 0 takes the spec's budget.trials.
	// A grid plans at most its size (all of it when both are 0).
	Trials int
	// Device is where the workers train ("cpu" when empty), recorded in
	// every trial's config.
	Device string
}

// Plan is a planned sweep.
type Plan struct {
	SweepID int64
	// Spec is the spec as stored in the registry: Budget.Trials is the
	// number of planned trials.
	Spec   Spec
	Points []sweep.Point // by trial number
	Prefix string        // the sweep's folder in the store (SweepPrefix)
}

// ErrTPEPlan is PlanSweep's error for a TPE sweep, which cannot be planned.
var ErrTPEPlan = errors.New("sampler tpe proposes each point from the results of finished trials, " +
	"so its trials cannot be sampled up front for independent workers; use sampler: random (or grid) " +
	"to plan the sweep, or run it with `vigil sweep SWEEP.yaml`, which runs TPE in one process")

// PlanSweep samples a random or grid sweep's trials up front, so that
// independent workers (a Kubernetes Indexed Job, an AWS Batch array job)
// can run them: it creates the sweep in the registry with the spec
// (sweeps.spec_json, budget.trials set to the planned count), writes the
// base config and each trial's point.json to the store, then records one
// pending trial row per point for a worker to claim (Work). Points are
// drawn as `vigil sweep` draws them (trial n from the PCG stream (seed,
// n)), so a planned random sweep samples what the in-process one would.
//
// Every trial's config is built and checked before anything is written.
// The budget's time, the pruner's schedule, workers, devices and
// per_device do not apply to planning; the pruner runs in the workers.
func PlanSweep(ctx context.Context, spec Spec, opts PlanOptions) (Plan, error) {
	if opts.Registry == nil || opts.Store == nil {
		return Plan{}, errors.New("sweeprun: PlanOptions.Registry and PlanOptions.Store are required")
	}
	if opts.Device == "" {
		opts.Device = "cpu"
	}
	if spec.Sampler == "tpe" {
		return Plan{}, ErrTPEPlan
	}
	space, err := sweep.Decode(spec.Space)
	if err != nil {
		return Plan{}, err
	}
	sampler, err := spec.sampler(space)
	if err != nil {
		return Plan{}, err
	}
	n := opts.Trials
	if n == 0 {
		n = spec.Budget.Trials
	}
	if g, ok := sampler.(*sweep.Grid); ok && (n == 0 || n > g.Len()) {
		n = g.Len()
	}
	if n <= 0 {
		return Plan{}, errors.New("plan: how many trials? set budget.trials in the sweep file or give a trial count")
	}
	points := make([]sweep.Point, 0, n)
	configs := make([][]byte, 0, n)
	var history []sweep.Trial
	for i := range n {
		pt, err := sampler.Sample(history, rand.New(rand.NewPCG(spec.Seed, uint64(i))))
		if err != nil {
			return Plan{}, fmt.Errorf("plan: trial %d: %w", i, err)
		}
		cfg, err := experiments.Parse(opts.Base, append(append([]string{}, spec.Set...), pt.Sets()...))
		if err != nil {
			return Plan{}, fmt.Errorf("plan: trial %d (%s) does not make a valid config: %w", i, pt, err)
		}
		cfg.Device = opts.Device
		raw, err := json.Marshal(cfg)
		if err != nil {
			return Plan{}, err
		}
		history = append(history, sweep.Trial{Number: i, Params: pt, State: sweep.Running})
		points, configs = append(points, pt), append(configs, raw)
	}

	spec.Budget.Trials = n
	raw, err := encodeSpec(spec)
	if err != nil {
		return Plan{}, err
	}
	dir := registry.Maximize
	if spec.Objective.Direction == sweep.Minimize {
		dir = registry.Minimize
	}
	id, err := opts.Registry.CreateSweep(ctx, registry.SweepInfo{Name: spec.Name, SpecJSON: raw,
		Objective: spec.Objective.Metric, Direction: dir})
	if err != nil {
		return Plan{}, err
	}
	plan := Plan{SweepID: id, Spec: spec, Points: points, Prefix: SweepPrefix(id)}
	if err := plan.record(ctx, opts, configs); err != nil {
		return Plan{}, errors.Join(err, opts.Registry.SetSweepStatus(context.WithoutCancel(ctx), id, registry.SweepFailed))
	}
	return plan, nil
}

// record writes the plan's files, then its pending rows, so that a
// worker never finds a row without its point.
func (p Plan) record(ctx context.Context, opts PlanOptions, configs [][]byte) error {
	if err := opts.Store.Put(ctx, p.Prefix+"/"+baseConfigFile, opts.Base); err != nil {
		return err
	}
	for i, pt := range p.Points {
		b, err := json.Marshal(pt)
		if err != nil {
			return err
		}
		if err := opts.Store.Put(ctx, TrialPrefix(p.SweepID, i)+"/"+pointFile, b); err != nil {
			return err
		}
	}
	for i := range p.Points {
		if _, err := opts.Registry.AddTrial(ctx, p.SweepID, i, registry.RunInfo{Name: p.Spec.Name, Kind: registry.KindTrial,
			ConfigJSON: configs[i], Commit: experiments.BuildCommit(), Device: opts.Device,
			OutDir: opts.Store.URI(TrialPrefix(p.SweepID, i))}); err != nil {
			return err
		}
	}
	return nil
}

// decodePoint reads a point.json and checks it against space.
func decodePoint(b []byte, space *sweep.Space) (sweep.Point, error) {
	var pt sweep.Point
	if err := json.Unmarshal(b, &pt); err != nil {
		return nil, fmt.Errorf("point.json: %w", err)
	}
	return space.Canonical(pt)
}

// encodeSpec writes spec as JSON for the registry, keeping the space's
// number types: a whole float64 is written with ".0" (1.0, not 1), so
// that decodeSpec reads ints as ints and floats as floats, and a choice
// of ints still sets "model.hidden=8", not "8.0".
func encodeSpec(spec Spec) ([]byte, error) {
	spec.Space, _ = markFloats(spec.Space).(map[string]any)
	return json.Marshal(spec)
}

// markFloats copies v with each float64 replaced by a json.Number that
// always carries a '.' or an exponent.
func markFloats(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return x // json.Marshal refuses it, with a clear error
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return json.Number(s)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = markFloats(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = markFloats(e)
		}
		return out
	}
	return v
}

// decodeSpec reads a spec the registry holds (unknown fields are errors)
// and checks it. Numbers of the space without '.' or exponent become
// ints, the others float64 (see encodeSpec).
func decodeSpec(raw []byte) (Spec, error) {
	var s Spec
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("stored sweep spec: %w", err)
	}
	space, err := unmarkNumbers(s.Space)
	if err != nil {
		return Spec{}, fmt.Errorf("stored sweep spec: %w", err)
	}
	s.Space, _ = space.(map[string]any)
	if err := s.check(); err != nil {
		return Spec{}, fmt.Errorf("stored sweep spec: %w", err)
	}
	return s, nil
}

// unmarkNumbers copies v with each json.Number replaced by an int or a float64.
func unmarkNumbers(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		if !strings.ContainsAny(string(x), ".eE") {
			if i, err := x.Int64(); err == nil && i >= math.MinInt && i <= math.MaxInt {
				return int(i), nil
			}
		}
		return x.Float64()
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			u, err := unmarkNumbers(e)
			if err != nil {
				return nil, err
			}
			out[k] = u
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			u, err := unmarkNumbers(e)
			if err != nil {
				return nil, err
			}
			out[i] = u
		}
		return out, nil
	}
	return v, nil
}

// readBase reads a planned sweep's base config from the store.
func readBase(ctx context.Context, store artifacts.Store, sweepID int64) ([]byte, error) {
	b, err := store.Get(ctx, SweepPrefix(sweepID)+"/"+baseConfigFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("sweep %d has no %s in the store (was it planned with `vigil sweep plan` on this store?): %w",
			sweepID, baseConfigFile, err)
	}
	return b, err
}
