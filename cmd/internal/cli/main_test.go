package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain keeps the runs the tests make out of the source tree's
// runs/registry.db: they are recorded in a registry of their own.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vigil-cli-registry")
	if err != nil {
		panic(err)
	}
	if os.Getenv(registryEnv) == "" {
		os.Setenv(registryEnv, filepath.Join(dir, "registry.db"))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := NewRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func TestModelSummaryOfTheSeedConfig(t *testing.T) {
	out, err := execute(t, "model", "summary", "../../../experiments/configs/sea_convvae.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2911589") || !strings.Contains(out, "ConvTranspose2D 32") {
		t.Fatalf("summary:\n%s", out)
	}
}

func TestConfigVerify(t *testing.T) {
	if _, err := execute(t, "config", "verify", "../../../experiments/configs/sea_fast.yaml"); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("version: 1\nname: x\ndata: {kind: synthetic}\ntrain: {epoch: 3}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := execute(t, "config", "verify", bad)
	if err == nil || !strings.Contains(err.Error(), "epoch") {
		t.Fatalf("unknown key: %v", err)
	}
	_, err = execute(t, "config", "verify", "../../../experiments/configs/sea_fast.yaml", "--set", "train.lr=-1")
	if err == nil || !strings.Contains(err.Error(), "train.lr") {
		t.Fatalf("bad --set value: %v", err)
	}
}

func TestRunOnCudaFailsWithOneClearSentence(t *testing.T) {
	_, err := execute(t, "run", "--set", "device=cuda", "--out", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no usable GPU") {
		t.Fatalf("device=cuda: %v", err)
	}
}

func TestDevicesListsTheCPU(t *testing.T) {
	out, err := execute(t, "devices")
	if err != nil || !strings.Contains(out, "cpu:") {
		t.Fatalf("devices: %q, %v", out, err)
	}
}
