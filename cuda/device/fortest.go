//go:build gpu

package device

import (
	"os"
	"sync"
)

// ExpectGPUEnv names the environment variable that, set to 1 on a machine
// with a GPU, makes OpenForTest fail rather than skip a test when GPU 0
// cannot be used, so that a broken driver, context or kernel module
// cannot pass as "skipped".
const ExpectGPUEnv = "VIGIL_EXPECT_GPU"

// TB is the part of testing.TB that OpenForTest uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
}

// testGPU is GPU 0 as the tests of one process share it.
var testGPU struct {
	once sync.Once
	d    *Device
	err  error
}

// OpenForTest returns GPU 0 for the gpu-tagged tests, opened on the first
// call and shared by every test of the process (never closed). When it
// cannot be opened the test is skipped, or fails when ExpectGPUEnv is 1.
// Only tests call it.
func OpenForTest(tb TB) *Device {
	tb.Helper()
	testGPU.once.Do(func() { testGPU.d, testGPU.err = Open(0) })
	if testGPU.err != nil {
		if os.Getenv(ExpectGPUEnv) == "1" {
			tb.Fatalf("no usable GPU (%s=1): %v", ExpectGPUEnv, testGPU.err)
		}
		tb.Skipf("no usable GPU: %v", testGPU.err)
	}
	return testGPU.d
}
