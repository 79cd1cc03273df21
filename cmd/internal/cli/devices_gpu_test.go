//go:build gpu

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The GPU build lists and self-tests the GPUs (the emulated one in `make
// test`) and trains on one with device=cuda.
func TestGPUDevicesAndRun(t *testing.T) {
	out, err := execute(t, "devices")
	if err != nil || !strings.Contains(out, "cuda:0:") || !strings.Contains(out, "self-test ok") {
		t.Fatalf("devices: %q, %v", out, err)
	}
	dir := t.TempDir()
	_, err = execute(t, "run", "--set", "device=cuda", "--set", "data.num_users=2", "--set", "data.train_len=400",
		"--set", "windows.train_windows=30", "--set", "train.epochs=1", "--out", dir)
	if err != nil {
		t.Fatalf("run on the GPU: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "metrics.json")); err != nil {
		t.Fatal(err)
	}
}
