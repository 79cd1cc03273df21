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

// ProbeTimeout bounds how long Probe waits for the GPU build to answer.
const ProbeTimeout = 20 * time.Second

// Probe is what the GPU build reported about this machine.
type Probe struct {
	Helper  string   // path of the GPU build that was run, "" when none was found
	Devices []string // one line per GPU, e.g. "cuda:0: NVIDIA H100 80GB HBM3 (sm_90)"
	Err     error    // why no GPU is usable; nil when Devices is non-empty
}

// ProbeGPU finds the GPU build and runs `vigil-cuda devices` in a child
// process to list the usable GPUs (lines starting "cuda:"; a non-zero exit
// with the reason on stderr when there is none). The CUDA driver is never loaded into this process, so a
// missing driver, library or GPU is an answer here, not a crash.
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
		if strings.HasPrefix(line, "cuda:") {
			p.Devices = append(p.Devices, strings.TrimSpace(line))
		}
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
	s = strings.TrimSpace(s)
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

// UseGPUBuildError says a run asked for a GPU that only the GPU build can
// drive: the command line re-runs the same command under Helper.
type UseGPUBuildError struct {
	Helper  string
	Devices []string
}

func (e *UseGPUBuildError) Error() string {
	return fmt.Sprintf("found %s; the run continues in the GPU build %s", strings.Join(e.Devices, "; "), e.Helper)
}
