//go:build gpu

package device

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// faultChildEnv makes TestGPUFaultNamesTheKernel's child process fault.
const faultChildEnv = "VIGIL_FAULT_CHILD"

// TestGPUFaultNamesTheKernel runs, in a child process (a fault spoils the
// context for the rest of the process), a kernel that writes past the end
// of its allocation. On the emulated device the error that reaches Go
// names the kernel, the thread and the allocation it missed; the real
// driver says CUDA_ERROR_ILLEGAL_ADDRESS only, so the test runs there too
// but checks just that. A write just past a small allocation lands in the
// same mapped page on a real GPU (an H200 ran the 256-byte overrun without
// a fault), so there the kernel writes far beyond it.
func TestGPUFaultNamesTheKernel(t *testing.T) {
	if os.Getenv(faultChildEnv) == "1" {
		d := OpenForTest(t)
		s, err := d.NewStream()
		if err != nil {
			t.Fatal(err)
		}
		a, err := d.NewArena(4096)
		if err != nil {
			t.Fatal(err)
		}
		b, err := a.Alloc(1024)
		if err != nil {
			t.Fatal(err)
		}
		n := 1024 + 64 // 256 bytes too many: the emulated device checks every access
		if !Emulated() {
			// A real GPU faults only outside mapped pages (2 MiB and
			// more, shared by small allocations): write 256 MiB past.
			n = 1024 + 64<<20
		}
		if err := d.Launch(s, "fill_f32", d.GridFor(n), b, n, float32(1)); err != nil {
			t.Fatal(err)
		}
		t.Fatalf("FAULT: %v", s.Synchronize())
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestGPUFaultNamesTheKernel$", "-test.count=1")
	cmd.Env = append(os.Environ(), faultChildEnv+"=1")
	out, _ := cmd.CombinedOutput()
	got := string(out)
	i := strings.Index(got, "FAULT: ")
	if i < 0 {
		t.Fatalf("the child did not report a fault:\n%s", got)
	}
	msg := got[i:]
	want := []string{"cuStreamSynchronize", "IllegalAddress"}
	if Emulated() {
		want = append(want, "kernel fill_f32", "thread (", "after the end of the device allocation of 4096 bytes")
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("the fault's error lacks %q: %s", w, msg)
		}
	}
	t.Log(strings.TrimSpace(strings.SplitN(msg, "\n", 2)[0]))
}
