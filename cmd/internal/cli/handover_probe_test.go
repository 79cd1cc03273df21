//go:build !gpu

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// standIn puts a script named vigil-cuda on PATH in place of the GPU build:
// it answers `devices` with devices (a shell snippet) and records any other
// command line with the hand-over mark and exits 3.
func standIn(t *testing.T, devices string) (record string) {
	t.Helper()
	dir := t.TempDir()
	record = filepath.Join(dir, "args")
	script := "#!/bin/sh\nif [ \"$1\" = devices ]; then\n" + devices + "\nfi\n" +
		"echo \"$@ $" + handedOverEnv + "\" > " + record + "\nexit 3\n"
	if err := os.WriteFile(filepath.Join(dir, "vigil-cuda"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return record
}

const failedSelfTest = "cuda:0: Test GPU (sm_90): self-test: step 1: loss differs from the CPU reference by 0.02"

func TestAutoWithAUsableGPUHandsTheRunOver(t *testing.T) {
	record := standIn(t, "echo 'cuda:0: Test GPU (sm_90) self-test ok'; exit 0")
	out := t.TempDir()
	defer func(a []string) { os.Args = a }(os.Args)
	os.Args = []string{"vigil", "run", "--set", "device=auto", "--out", out}
	if code := Main(); code != 3 {
		t.Fatalf("exit status %d; want the GPU build's 3", code)
	}
	got, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	if want := "run --set device=auto --out " + out + " 1"; strings.TrimSpace(string(got)) != want {
		t.Fatalf("the GPU build saw %q, want %q", got, want)
	}
}

func TestCudaWithAFailedSelfTestFailsWithOneSentence(t *testing.T) {
	record := standIn(t, "echo 'unusable "+failedSelfTest+"'; echo 'vigil: "+failedSelfTest+"' >&2; exit 1")
	_, err := execute(t, "run", "--set", "device=cuda", "--out", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no usable GPU: vigil-cuda: "+failedSelfTest) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("device=cuda: %v", err)
	}
	if _, err := os.Stat(record); err == nil {
		t.Fatal("the run was handed over")
	}
}

func TestDevicesShowsTheSelfTests(t *testing.T) {
	standIn(t, "echo 'cuda:0: Test GPU (sm_90) self-test ok'; echo 'unusable "+failedSelfTest+"'; exit 0")
	out, err := execute(t, "devices")
	if err != nil || !strings.Contains(out, "\ncuda:0: Test GPU (sm_90) self-test ok\n") || !strings.Contains(out, "\nunusable "+failedSelfTest+"\n") {
		t.Fatalf("devices: %q, %v", out, err)
	}
	standIn(t, "echo 'unusable "+failedSelfTest+"'; echo 'vigil: "+failedSelfTest+"' >&2; exit 1")
	out, err = execute(t, "devices")
	if err != nil || !strings.Contains(out, "cuda: none usable (vigil-cuda: "+failedSelfTest+")") {
		t.Fatalf("devices: %q, %v", out, err)
	}
}
