package tabular

import (
	"context"

	"github.com/vigil-ml/vigil/experiments/tasks"
)

// Loader reads a task's data as a table, with its protocol's sections
// and the report's description.
type Loader func(ctx context.Context, sections map[string]any, env tasks.Env) (Config, *Table, Info, error)

// Fitter gives a task built on this protocol the methods of a
// tasks.FitTask and tasks.FitProfiler from its Loader.
type Fitter struct{ Load Loader }

// Fit runs the protocol on the loaded table.
func (f Fitter) Fit(ctx context.Context, m map[string]any, env tasks.Env) (tasks.Evaluation, error) {
	c, t, info, err := f.Load(ctx, m, env)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	return Fit(ctx, t, c, env, info)
}

// Rescore scores the loaded table's hold-out rows with the model saved
// in env.From.
func (f Fitter) Rescore(ctx context.Context, m map[string]any, env tasks.Env) (tasks.Evaluation, error) {
	c, t, info, err := f.Load(ctx, m, env)
	if err != nil {
		return tasks.Evaluation{}, err
	}
	return Rescore(ctx, t, c, env, info)
}

// Profile describes the loaded table's features, for drift tests.
func (f Fitter) Profile(ctx context.Context, m map[string]any, env tasks.Env) (tasks.Profile, error) {
	_, t, _, err := f.Load(ctx, m, env)
	if err != nil {
		return tasks.Profile{}, err
	}
	return t.Profile(), nil
}
