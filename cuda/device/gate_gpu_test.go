//go:build gpu

package device

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"testing"
)

// TestCaptureRefusesExclusiveCalls makes, on the capturing goroutine, each
// call that is illegal during a capture: each fails at once with
// ErrCapturing (no deadlock, nothing reaches the driver), the capture
// stays valid, and its graph runs.
func TestCaptureRefusesExclusiveCalls(t *testing.T) {
	e := newEnv(t)
	b := e.alloc(64)
	e.must(e.s.Fill(b, 0))
	e.must(e.s.Synchronize())
	arena, err := e.d.NewArena(4096)
	e.must(err)
	defer arena.Close()
	host := e.newHost(16)
	bl, err := e.d.OpenBlas()
	e.must(err)
	defer bl.Close()
	other, err := e.s.Capture(func() error { return e.s.Fill(b, 5) })
	e.must(err)
	defer other.Close()

	g, err := e.s.Capture(func() error {
		if err := e.s.Fill(b, 7); err != nil {
			return err
		}
		for name, call := range map[string]func() error{
			"Device.Synchronize": e.d.Synchronize,
			"NewArena":           func() error { _, err := e.d.NewArena(4096); return err },
			"Arena.Close":        arena.Close,
			"NewHostBuffer":      func() error { _, err := e.d.NewHostBuffer(16); return err },
			"HostBuffer.Close":   host.Close,
			"OpenBlas":           func() error { _, err := e.d.OpenBlas(); return err },
			"Blas.Close":         bl.Close,
			"Graph.Close":        other.Close,
		} {
			if err := call(); !errors.Is(err, ErrCapturing) {
				t.Errorf("%s during a capture on its goroutine: %v, want ErrCapturing", name, err)
			}
		}
		return nil
	})
	e.must(err)
	defer g.Close()
	e.must(g.Launch(e.s))
	want := make([]float32, 64)
	for i := range want {
		want[i] = 7
	}
	e.compare("graph captured around refused calls", e.down(b), want, 0)
	if _, err := arena.Alloc(8); err != nil || host.Len() != 16 || bl.lib == nil {
		t.Errorf("a refused Close closed: arena %v, host buffer of %d, cuBLAS open %v", err, host.Len(), bl.lib != nil)
	}
}

// TestCaptureConcurrentWithExclusiveCalls runs, as training workers sharing
// one GPU do, goroutines that capture graphs (kernels and SGEMMs) on their
// own streams while others allocate and free device and page-locked
// memory, open and close cuBLAS handles and synchronize the device. The
// driver would invalidate a capture overlapped by any of those; the gate
// makes them wait, so every capture and every call succeeds and every
// graph computes the right values.
func TestCaptureConcurrentWithExclusiveCalls(t *testing.T) {
	e := newEnv(t)
	const capturers, others, rounds = 3, 3, 20
	errs := make(chan error, capturers*rounds+others*rounds)
	var wg sync.WaitGroup
	for w := range capturers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- captureRounds(e.d, w, rounds)
		}()
	}
	for w := range others {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				if err := exclusiveRound(e.d, (w+r)%4); err != nil {
					errs <- fmt.Errorf("exclusive calls, goroutine %d round %d: %w", w, r, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// captureRounds captures y = 2x·w (an SGEMM and a kernel) on a stream of
// its own, rounds times, launching and checking each graph.
func captureRounds(d *Device, w, rounds int) (err error) {
	s, err := d.NewStream()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Synchronize(), s.Close()) }()
	bl, err := d.OpenBlas()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, bl.Close()) }()
	a, err := d.NewArena(1 << 20)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, a.Close()) }()
	g := Gemm{M: 4, N: 6, K: 5, Alpha: 1}
	x, _ := a.Alloc(g.M * g.K)
	wt, _ := a.Alloc(g.K * g.N)
	c, _ := a.Alloc(g.M * g.N)
	y, _ := a.Alloc(g.M * g.N)
	xs, ws := make([]float32, g.M*g.K), make([]float32, g.K*g.N)
	for i := range xs {
		xs[i] = float32(w + i%3)
	}
	for i := range ws {
		ws[i] = float32(i%5) - 2
	}
	if err := errors.Join(Upload(s, x, xs), Upload(s, wt, ws)); err != nil {
		return err
	}
	want := refGemm(g, xs, ws, make([]float32, g.M*g.N))
	step := func() error {
		if err := bl.Gemm(s, g, x, wt, c); err != nil {
			return err
		}
		return s.BinaryScalar("mul", y, c, 2, false)
	}
	if err := step(); err != nil { // lazy set-up outside the captures
		return err
	}
	for r := range rounds {
		if err := s.Fill(y, -1); err != nil {
			return err
		}
		graph, err := s.Capture(step)
		if err != nil {
			return fmt.Errorf("capture %d on goroutine %d: %w", r, w, err)
		}
		err = graph.Launch(s)
		got := make([]float32, y.Len)
		err = errors.Join(err, Download(s, got, y), graph.Close())
		if err != nil {
			return fmt.Errorf("round %d on goroutine %d: %w", r, w, err)
		}
		for i := range got {
			if got[i] != 2*want[i] {
				return fmt.Errorf("round %d on goroutine %d: y[%d] = %v, want %v", r, w, i, got[i], 2*want[i])
			}
		}
	}
	return nil
}

// exclusiveRound makes calls that are illegal during a capture.
func exclusiveRound(d *Device, kind int) error {
	switch kind {
	case 0:
		a, err := d.NewArena(1 << 20)
		if err != nil {
			return err
		}
		return a.Close()
	case 1:
		h, err := d.NewHostBuffer(1 << 16)
		if err != nil {
			return err
		}
		return h.Close()
	case 2:
		b, err := d.OpenBlas()
		if err != nil {
			return err
		}
		return b.Close()
	}
	return d.Synchronize()
}

// TestBound runs launches inside Stream.Bound, nested, around calls that
// bind on their own and around scheduling points: the goroutine stays on
// one OS thread, and every result is right.
func TestBound(t *testing.T) {
	e := newEnv(t)
	b := e.alloc(1000)
	err := e.s.Bound(func() error {
		tid := syscall.Gettid()
		if err := e.s.Fill(b, 1); err != nil {
			return err
		}
		a, err := e.d.NewArena(4096) // binds (and locks) again, nested
		if err != nil {
			return err
		}
		for range 100 {
			runtime.Gosched()
		}
		runtime.GC()
		if err := e.s.Bound(func() error { return e.s.BinaryScalar("add", b, b, 2, false) }); err != nil {
			return err
		}
		if err := a.Close(); err != nil {
			return err
		}
		if err := e.s.BinaryScalar("mul", b, b, 3, false); err != nil {
			return err
		}
		if got := syscall.Gettid(); got != tid {
			return fmt.Errorf("the goroutine moved from thread %d to %d inside Bound", tid, got)
		}
		return nil
	})
	e.must(err)
	want := make([]float32, 1000)
	for i := range want {
		want[i] = 9
	}
	e.compare("(1+2)*3 inside Bound", e.down(b), want, 0)
	if e.s.bound {
		t.Error("the stream is still bound after Bound returned")
	}
	// Bound of a closed device fails and runs nothing.
	closed := &Device{}
	closed.closed.Store(true)
	ran := false
	if err := (&Stream{d: closed}).Bound(func() error { ran = true; return nil }); !errors.Is(err, ErrClosed) || ran {
		t.Errorf("Bound on a closed device: %v, ran %v", err, ran)
	}
}

// TestBlasCaptureOnAnotherStream captures an SGEMM on a stream other than
// the one the handle last ran on, so cublasSetStream_v2 and
// cublasSetWorkspace_v2 run during the capture; the graph computes the
// product, and the handle owns a workspace of WorkspaceBytes.
func TestBlasCaptureOnAnotherStream(t *testing.T) {
	e := newEnv(t)
	bl, err := e.d.OpenBlas()
	e.must(err)
	defer bl.Close()
	if bl.Workspace != WorkspaceBytes(e.d.Major) || bl.workspace == 0 {
		t.Errorf("workspace %d bytes at %v, want %d bytes", bl.Workspace, bl.workspace, WorkspaceBytes(e.d.Major))
	}
	g := Gemm{M: 3, N: 4, K: 5, Alpha: 1}
	a, b := e.uniform(g.M*g.K, -1, 1), e.uniform(g.K*g.N, -1, 1)
	ba, bb, bc := e.up(a), e.up(b), e.alloc(g.M*g.N)
	e.must(bl.Gemm(e.s, g, ba, bb, bc)) // warm up on e.s
	e.must(e.s.Synchronize())
	s2, err := e.d.NewStream()
	e.must(err)
	defer s2.Close()
	e.must(e.s.Fill(bc, 0))
	e.must(e.s.Synchronize())
	graph, err := s2.Capture(func() error { return bl.Gemm(s2, g, ba, bb, bc) })
	e.must(err)
	defer graph.Close()
	e.must(graph.Launch(s2))
	e.must(s2.Synchronize())
	e.compare("SGEMM captured on a second stream", e.down(bc), refGemm(g, a, b, make([]float32, g.M*g.N)), relTol)
}
