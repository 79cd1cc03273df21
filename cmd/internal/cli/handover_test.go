package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/cuda"
)

// TestHandOverRerunsTheCommandUnderTheGPUBuild uses a script in place of
// vigil-cuda that records its arguments and environment and exits 3.
func TestHandOverRerunsTheCommandUnderTheGPUBuild(t *testing.T) {
	dir := t.TempDir()
	record := filepath.Join(dir, "args")
	helper := filepath.Join(dir, "vigil-cuda")
	script := "#!/bin/sh\necho \"$@ $" + handedOverEnv + "\" > " + record + "\nexit 3\n"
	if err := os.WriteFile(helper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	defer func(a []string) { os.Args = a }(os.Args)
	os.Args = []string{"vigil", "run", "sea.yaml", "--set", "device=cuda"}
	code, handled := handOver(context.Background(), &cuda.UseGPUBuildError{Helper: helper, Devices: []string{"cuda:0: test"}})
	if !handled || code != 3 {
		t.Fatalf("handOver = %d, %v; want the child's status 3", code, handled)
	}
	got, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(got)) != "run sea.yaml --set device=cuda 1" {
		t.Fatalf("child saw %q", got)
	}
	t.Setenv(handedOverEnv, "1")
	if code, handled := handOver(context.Background(), &cuda.UseGPUBuildError{Helper: helper}); !handled || code != 1 {
		t.Fatalf("a handed-over process handed on again: %d, %v", code, handled)
	}
	if _, handled := handOver(context.Background(), os.ErrNotExist); handled {
		t.Fatal("an ordinary error was handed over")
	}
}
