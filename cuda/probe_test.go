package cuda

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeHelper writes an executable script named vigil-cuda into a directory
// on PATH; it stands in for the GPU build's command-line contract.
func fakeHelper(t *testing.T, script string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, HelperName), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestProbeParsesTheGPUBuildsAnswer(t *testing.T) {
	fakeHelper(t, "echo 'vigil-cuda: 2 GPU(s), driver supports CUDA 13.0'\n"+
		"echo 'cuda:0: NVIDIA H100 (sm_90) self-test ok'\n"+
		"echo 'unusable cuda:1: NVIDIA H100 (sm_90): self-test: step 1: loss differs'\n")
	p := ProbeGPU(context.Background())
	if p.Err != nil || len(p.Devices) != 1 || p.Devices[0] != "cuda:0: NVIDIA H100 (sm_90) self-test ok" ||
		len(p.Unusable) != 1 || p.Unusable[0] != "cuda:1: NVIDIA H100 (sm_90): self-test: step 1: loss differs" {
		t.Fatalf("probe = %+v", p)
	}
}

// A GPU that fails the self-test is found but not usable: the reason is
// the GPU build's, without its "vigil: " prefix.
func TestProbeReportsAFailedSelfTest(t *testing.T) {
	reason := "cuda:0: NVIDIA H100 (sm_90): self-test: step 1: gradient of enc1.b differs from the CPU reference by 0.01"
	fakeHelper(t, "echo 'unusable "+reason+"'\necho 'vigil: "+reason+"' >&2\nexit 1\n")
	p := ProbeGPU(context.Background())
	if p.Err == nil || p.Err.Error() != "vigil-cuda: "+reason || len(p.Devices) != 0 || len(p.Unusable) != 1 {
		t.Fatalf("probe = %+v", p)
	}
}

func TestProbeReportsWhyThereIsNoGPU(t *testing.T) {
	fakeHelper(t, "echo 'error while loading shared libraries: libcuda.so.1: cannot open shared object file' >&2\nexit 127\n")
	p := ProbeGPU(context.Background())
	if p.Err == nil || !strings.Contains(p.Err.Error(), "libcuda.so.1") || len(p.Devices) != 0 {
		t.Fatalf("probe = %+v", p)
	}
}

func TestProbeWithoutTheGPUBuild(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	p := ProbeGPU(context.Background())
	if p.Err == nil || !strings.Contains(p.Err.Error(), "make cuda") {
		t.Fatalf("probe = %+v", p)
	}
}
