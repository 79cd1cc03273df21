//go:build gpu

package selftest

import (
	"os"
	"testing"

	"github.com/vigil-ml/vigil/cuda/device"
)

// The self-test passes on the GPU (the emulated one in `make test`) with a
// margin: the largest difference from the CPU reference stays far below
// Tolerance, which is how the bound is justified.
func TestGPUSelfTestMargin(t *testing.T) {
	d, err := device.Open(0)
	if err != nil {
		if os.Getenv("VIGIL_EXPECT_GPU") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer d.Close()
	if err := GPU(d, probe, lstmProbe, ipProbe, vaeganProbe, linearProbe); err != nil {
		t.Fatal(err)
	}
	r, err := MeasureGPU(d, probe, lstmProbe, ipProbe, vaeganProbe, linearProbe)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("largest difference from the CPU reference: %.3g (%s); tolerance %g", r.Worst, r.What, Tolerance)
	if r.Worst > Tolerance/10 {
		t.Fatalf("largest difference %.3g (%s) is within a factor 10 of the tolerance %g", r.Worst, r.What, Tolerance)
	}
}
