package experiments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/vigil-ml/vigil/datasets"
)

// userFile is where a finished user's result is kept, so an interrupted run
// resumes without retraining finished users.
func userFile(out, name string) string { return filepath.Join(out, "users", name+".json") }

// GPUWorkers is the default train.workers on a GPU: two users train at
// once, so that one's host work (batches, uploads, bookkeeping) overlaps
// the other's GPU work; more would only queue on the one GPU.
const GPUWorkers = 2

// workerCount is how many users train at once: cfg.Train.Workers when set,
// else one per CPU core on the CPU and GPUWorkers on a GPU; at most one
// per user.
func workerCount(cfg Config, device string, users int) int {
	w := cfg.Train.Workers
	if w == 0 {
		w = runtime.NumCPU()
		if device != "" && device != "cpu" {
			w = GPUWorkers
		}
	}
	return min(w, users)
}

// trainAll trains (or, on resume, reloads) every user's model, workerCount
// at a time. Results are in user order and independent of the worker count.
func trainAll(ctx context.Context, cfg Config, sea *datasets.SEA, table *commandTable, opts RunOptions) ([]userResult, error) {
	if err := os.MkdirAll(filepath.Join(opts.Out, "users"), 0o755); err != nil {
		return nil, err
	}
	workers := workerCount(cfg, opts.device, len(sea.Users))
	results := make([]userResult, len(sea.Users))
	errs := make([]error, len(sea.Users))
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				r, resumed, err := runUser(ctx, cfg, i, sea.Users[i], table, opts)
				if err != nil {
					errs[i] = err
					cancel()
					continue
				}
				results[i] = r
				mu.Lock()
				done++
				opts.Log.Info("user done", "user", r.Name, "n", fmt.Sprintf("%d/%d", done, len(sea.Users)),
					"steps", r.Steps, "val_loss", last(r.ValLoss), "cached", resumed, "seconds", fmt.Sprintf("%.1f", time.Since(t0).Seconds()))
				mu.Unlock()
			}
		}()
	}
	for i := range sea.Users {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if parent.Err() != nil {
		return nil, fmt.Errorf("interrupted; finished users and checkpoints are kept in %s, rerun the same command to resume: %w", opts.Out, parent.Err())
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return results, nil
}

// runUser returns a finished user's cached result, or trains the user
// (resuming from its latest checkpoint if there is one) and caches the result.
func runUser(ctx context.Context, cfg Config, i int, u datasets.SEAUser, table *commandTable, opts RunOptions) (userResult, bool, error) {
	path := userFile(opts.Out, u.Name)
	if b, err := os.ReadFile(path); err == nil {
		var r userResult
		if err := json.Unmarshal(b, &r); err != nil {
			return userResult{}, false, fmt.Errorf("%s: %w (delete it to retrain %s)", path, err, u.Name)
		}
		return r, true, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return userResult{}, false, err
	}
	d, err := makeUserData(cfg, u, table)
	if err != nil {
		return userResult{}, false, err
	}
	r, err := trainUser(ctx, cfg, i, u, d, opts.Out, opts.Log, opts.Progress, opts.factory)
	if err != nil {
		return userResult{}, false, err
	}
	return r, false, writeJSON(path, r)
}

// checkResumable refuses to mix runs: an output directory that already holds
// a run must hold one of the same config.
func checkResumable(out string, cfg Config) (bool, error) {
	b, err := os.ReadFile(filepath.Join(out, "config.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	prev := Config{Executor: "tape"} // runs from before the key existed
	if err := json.Unmarshal(b, &prev); err != nil {
		return false, fmt.Errorf("%s/config.json: %w", out, err)
	}
	a, _ := json.Marshal(prev)
	c, _ := json.Marshal(cfg)
	if string(a) != string(c) {
		return false, fmt.Errorf("%s holds a run of a different config; use another --out or remove it", out)
	}
	return true, nil
}
