package cuda

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// HelperName is the GPU build of vigil (`make cuda`), looked for beside the
// running executable and then on PATH.
const HelperName = "vigil-cuda"

// ProbeTimeout bounds how long Probe waits for the GPU build to answer
// (it opens and self-tests every GPU).
const ProbeTimeout = 60 * time.Second

// UnusablePrefix starts the line of a GPU that the GPU build found but
// cannot use (see ProbeGPU).
const UnusablePrefix = "unusable "

// Probe is what the GPU build reported about this machine.
type Probe struct {
	Helper   string   // path of the GPU build that was run, "" when none was found
	Devices  []string // usable GPUs, e.g. "cuda:0: NVIDIA H100 80GB HBM3 (sm_90) self-test ok"
	Unusable []string // GPUs found but not usable, e.g. "cuda:1: NVIDIA H100 80GB HBM3 (sm_90): self-test: ..."
	Err      error    // why no GPU is usable; nil when Devices is non-empty
}

// ProbeGPU finds the GPU build and runs `vigil-cuda devices` in a child
// process. The CUDA driver is never loaded into this process, so a missing
// driver, library or GPU is an answer here, not a crash.
//
// The contract: the GPU build opens each GPU and runs cuda/selftest on it,
// then prints one stdout line per GPU,
//
//	cuda:N: NAME (sm_XY) self-test ok          usable
//	unusable cuda:N: NAME (sm_XY): REASON      found, but opening it or the self-test failed
//
// and exits 0 when at least one GPU is usable. Otherwise it exits non-zero
// with the reason (the self-test's failure included) on the first line of
// stderr. Other stdout lines are ignored.
func ProbeGPU(ctx context.Context) Probe {
	helper, err := findHelper()
	if err != nil {
		return Probe{Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, helper, "devices")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	p := Probe{Helper: helper}
	for _, line := range strings.Split(stdout.String(), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "cuda:") {
			p.Devices = append(p.Devices, line)
		} else if s, ok := strings.CutPrefix(line, UnusablePrefix); ok {
			p.Unusable = append(p.Unusable, s)
		}
	}
	if ctx.Err() == context.DeadlineExceeded {
		runErr = fmt.Errorf("no answer within %v", ProbeTimeout)
		stderr.Reset()
	}
	if runErr != nil || len(p.Devices) == 0 {
		p.Devices = nil
		p.Err = fmt.Errorf("%s: %s", filepath.Base(helper), firstLine(stderr.String(), runErr))
	}
	return p
}

// findHelper looks beside the executable first, then on PATH.
func findHelper() (string, error) {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), HelperName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(HelperName); err == nil {
		return p, nil
	}
	return "", errors.New("no GPU build found (" + HelperName + " beside vigil or on PATH; build it with `make cuda`)")
}

func firstLine(s string, err error) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "vigil: ")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	switch {
	case s != "":
		return s
	case err != nil:
		return err.Error()
	}
	return "reported no GPU"
}

// UseGPUBuildError says a run is to use a GPU (Devices are the usable ones)
// that only the GPU build can drive: the command line re-runs the same
// command under Helper.
type UseGPUBuildError struct {
	Helper  string
	Devices []string
}

func (e *UseGPUBuildError) Error() string {
	return fmt.Sprintf("found %s; the run continues in the GPU build %s", strings.Join(e.Devices, "; "), e.Helper)
}
