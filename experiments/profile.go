package experiments

import (
	"context"
	"os"
	"time"

	"github.com/vigil-ml/vigil/experiments/tasks"
)

// Profile loads cfg's data and describes its training inputs (see
// tasks.Profiler); ok is false when the task cannot. Files the task
// writes while loading go to a temporary folder.
func Profile(ctx context.Context, cfg Config, opts RunOptions) (p tasks.Profile, ok bool, err error) {
	opts.defaults()
	x, err := resolve(cfg)
	if err != nil {
		return p, false, err
	}
	tmp, err := os.MkdirTemp("", "vigil-profile")
	if err != nil {
		return p, false, err
	}
	defer os.RemoveAll(tmp)
	env := x.env(tmp, time.Now(), opts.Log)
	switch t := x.task.(type) {
	case tasks.FitProfiler:
		p, err := t.Profile(ctx, cfg.Sections, env)
		return p, err == nil, err
	case tasks.UnitTask:
	default:
		return p, false, nil
	}
	data, err := x.task.(tasks.UnitTask).Load(ctx, cfg.Sections, env)
	if err != nil {
		return p, false, err
	}
	pr, ok := data.(tasks.Profiler)
	if !ok {
		return p, false, nil
	}
	return pr.Profile(), true, nil
}
