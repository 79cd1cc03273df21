//go:build gpu

package device

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestCaptureGraph captures upload (pinned), elementwise kernels, SGEMM
// and download (pinned) into a graph and launches it twice with new inputs
// written into the same host and device buffers in between.
func TestCaptureGraph(t *testing.T) {
	e := newEnv(t)
	bl, err := e.d.OpenBlas()
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	g := Gemm{M: 8, N: 12, K: 16, Alpha: 1, Beta: 0.5}
	hx, hy := e.newHost(g.M*g.K), e.newHost(g.M*g.N)
	x, x2, w := e.alloc(g.M*g.K), e.alloc(g.M*g.K), e.alloc(g.K*g.N)
	c, b, y := e.alloc(g.M*g.N), e.alloc(g.M*g.N), e.alloc(g.M*g.N)

	// y = relu(2x·w + 0.5) - b, x in and y out through pinned memory.
	step := func() error {
		for _, f := range []func() error{
			func() error { return UploadAsync(e.s, x, hx, 0) },
			func() error { return e.s.BinaryScalar("mul", x2, x, 2, false) },
			func() error { return e.s.Fill(c, 1) },
			func() error { return bl.Gemm(e.s, g, x2, w, c) },
			func() error { return e.s.Unary("relu", y, c) },
			func() error { return e.s.Axpy(y, b, -1) },
			func() error { return DownloadAsync(e.s, hy, 0, y) },
		} {
			if err := f(); err != nil {
				return err
			}
		}
		return nil
	}
	// set writes new inputs (x into pinned memory, w and b into the device
	// buffers) and clears the output; it returns the expected output.
	set := func() []float32 {
		xv, wv, bv := e.uniform(g.M*g.K, -1, 1), e.uniform(g.K*g.N, -1, 1), e.uniform(g.M*g.N, -1, 1)
		copy(hx.Floats(), xv)
		e.must(Upload(e.s, w, wv))
		e.must(Upload(e.s, b, bv))
		fillHost(hy, float32(math.NaN()))
		for i := range xv {
			xv[i] *= 2
		}
		ones := make([]float32, g.M*g.N)
		for i := range ones {
			ones[i] = 1
		}
		want := refGemm(g, xv, wv, ones)
		for i := range want {
			want[i] = max(want[i], 0) - bv[i]
		}
		return want
	}
	ev, err := e.d.NewEvent(false)
	e.must(err)
	defer ev.Close()

	// Run once without capture: checks the sequence and does the lazy set-up
	// (kernel lookup, cuBLAS stream binding) outside the capture.
	want := set()
	e.must(step())
	e.must(e.s.Synchronize())
	e.compare("eager", hy.Floats(), want, relTol)

	fillHost(hy, float32(math.NaN()))
	graph, err := e.s.Capture(step)
	e.must(err)
	defer graph.Close()
	e.must(e.s.Synchronize())
	for i, v := range hy.Floats() {
		if !math.IsNaN(float64(v)) {
			t.Fatalf("capture ran the work: output[%d] = %v", i, v)
		}
	}
	if on, err := e.s.Capturing(); err != nil || on {
		t.Errorf("after the capture: capturing %v, %v", on, err)
	}

	for round := range 2 {
		want := set()
		e.must(graph.Launch(e.s))
		e.must(ev.Record(e.s))
		e.must(ev.Synchronize())
		e.compare(fmt.Sprintf("graph launch %d", round), hy.Floats(), want, relTol)
	}
	e.must(graph.Close())
	e.must(graph.Close())
	if err := graph.Launch(e.s); err == nil {
		t.Error("launch of a closed graph succeeded")
	}
}

// TestCaptureInvalid checks that an illegal call during a capture fails,
// that EndCapture then reports the invalidated capture, and that the
// stream works afterwards. (Calls that the capture gate refuses before
// they reach the driver, such as Device.Synchronize, leave the capture
// intact: TestCaptureRefusesExclusiveCalls.)
func TestCaptureInvalid(t *testing.T) {
	for _, c := range []struct {
		name    string
		illegal func(e *env) error
	}{
		{"stream synchronize", func(e *env) error { return e.s.Synchronize() }},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			b := e.alloc(100)
			e.must(e.s.Synchronize())

			e.must(e.s.BeginCapture())
			if err := e.s.BeginCapture(); err == nil {
				t.Error("nested BeginCapture succeeded")
			}
			if err := e.s.Fill(b, 1); err != nil { // recorded, never run
				t.Error(err)
			}
			if err := Upload(e.s, b, make([]float32, 100)); err == nil || !strings.Contains(err.Error(), "HostBuffer") {
				t.Errorf("Upload of Go memory during capture: %v", err)
			}
			if err := c.illegal(e); err == nil {
				t.Errorf("%s during capture succeeded", c.name)
			}
			if on, err := e.s.Capturing(); err != nil || !on {
				t.Errorf("after the illegal call: capturing %v, %v; want true", on, err)
			}
			g, err := e.s.EndCapture()
			if err == nil {
				g.Close()
				t.Fatal("EndCapture of an invalidated capture succeeded")
			}
			if g != nil || !strings.Contains(err.Error(), "cuStreamEndCapture") {
				t.Errorf("EndCapture: graph %v, error %v; want no graph and an error naming cuStreamEndCapture", g, err)
			}
			t.Logf("EndCapture: %v", err)
			if on, err := e.s.Capturing(); err != nil || on {
				t.Errorf("after EndCapture: capturing %v, %v; want false", on, err)
			}
			if _, err := e.s.EndCapture(); err == nil {
				t.Error("second EndCapture succeeded")
			}

			// The stream works, and the captured fill never ran.
			nan := make([]float32, 100)
			for i := range nan {
				nan[i] = float32(math.NaN())
			}
			e.compare("after the failed capture", e.down(b), nan, 0)
			e.must(e.s.Fill(b, 2))
			twos := make([]float32, 100)
			for i := range twos {
				twos[i] = 2
			}
			e.compare("fill after the failed capture", e.down(b), twos, 0)
		})
	}
}

// TestCaptureFuncError checks that Capture ends the capture when f fails.
func TestCaptureFuncError(t *testing.T) {
	e := newEnv(t)
	b := e.alloc(10)
	g, err := e.s.Capture(func() error {
		if err := e.s.Fill(b, 1); err != nil {
			return err
		}
		return e.s.Unary("no_such_op", b, b)
	})
	if err == nil || g != nil || !strings.Contains(err.Error(), "no_such_op") {
		t.Errorf("Capture with a failing f: graph %v, error %v", g, err)
	}
	if on, err := e.s.Capturing(); err != nil || on {
		t.Errorf("after Capture: capturing %v, %v; want false", on, err)
	}
	e.must(e.s.Fill(b, 3))
	e.compare("fill after Capture", e.down(b), []float32{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, 0)
}
