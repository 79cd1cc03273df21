package experiments

import (
	"runtime"
	"testing"
)

// TestWorkerCount: an explicit train.workers is the user's choice; the
// default is one per CPU core on the CPU and GPUWorkers on a GPU; never
// more than one per user.
func TestWorkerCount(t *testing.T) {
	var cfg Config
	for _, c := range []struct {
		workers int
		device  string
		users   int
		want    int
	}{
		{0, "cpu", 1000, runtime.NumCPU()},
		{0, "cuda:0", 1000, GPUWorkers},
		{0, "cuda:1", 1, 1},
		{5, "cuda:0", 1000, 5},
		{3, "cpu", 1000, 3},
		{8, "cpu", 2, 2},
	} {
		cfg.Train.Workers = c.workers
		if got := workerCount(cfg, c.device, c.users); got != c.want {
			t.Errorf("workers %d on %s for %d users: %d, want %d", c.workers, c.device, c.users, got, c.want)
		}
	}
}
