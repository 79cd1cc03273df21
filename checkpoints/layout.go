package checkpoints

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
)

// File and directory names inside a checkpoint root.
const (
	WeightsFile = "weights.safetensors"
	MetaFile    = "meta.json"
	LatestFile  = "latest"
	stepPrefix  = "step-"
)

// StepDirName is the directory name of the checkpoint at step, e.g. "step-000000123".
func StepDirName(step int) string { return fmt.Sprintf("%s%09d", stepPrefix, step) }

// parseStepDir returns the step of a directory named like StepDirName.
func parseStepDir(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, stepPrefix)
	if !ok || len(digits) == 0 {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return 0, false
	}
	return n, true
}

// stepDir is a checkpoint directory found in a root.
type stepDir struct {
	name string
	step int
}

// listSteps returns the step directories of dir in ascending step order; a
// missing dir yields none.
func listSteps(dir string) ([]stepDir, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoints: %w", err)
	}
	var out []stepDir
	for _, e := range entries {
		if step, ok := parseStepDir(e.Name()); ok && e.IsDir() {
			out = append(out, stepDir{name: e.Name(), step: step})
		}
	}
	slices.SortFunc(out, func(a, b stepDir) int {
		if a.step != b.step {
			return a.step - b.step
		}
		return strings.Compare(a.name, b.name)
	})
	return out, nil
}
