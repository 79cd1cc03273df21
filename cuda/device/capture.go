//go:build gpu

package device

/*
#include <cuda.h>

// cuStreamBeginCapture is cuStreamBeginCapture_v2 in cuda.h (CUDA 10.1 and
// later). Thread-local mode: while the capture is under way, the capturing
// thread may make no potentially unsafe calls (cuMemAlloc, synchronous
// copies, ...), and other threads are not restricted.
static CUresult vg_begin_capture(CUstream s) {
	return cuStreamBeginCapture(s, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
}
static CUgraph vg_end_capture(CUstream s, CUresult* r) {
	CUgraph g = 0;
	*r = cuStreamEndCapture(s, &g);
	return g;
}
// cuGraphInstantiateWithFlags (CUDA 11.4 and later) rather than
// cuGraphInstantiate, which cuda.h 11.8 maps to cuGraphInstantiate_v2 (with
// error-node and log parameters) and CUDA 12 redefines with flags.
//
// Flags 0 is right for how vigil uses graphs: the flags are AUTO_FREE_ON_
// LAUNCH (graphs with memory allocation nodes; captures here allocate
// nothing), UPLOAD (only with cuGraphInstantiateWithParams; the first
// launch uploads), DEVICE_LAUNCH (launches from kernels; vigil launches
// from the host only) and USE_NODE_PRIORITY (stream priorities are not
// used). Relaunching one executable graph on one stream needs none: each
// launch is ordered after the previous one on that stream.
static CUgraphExec vg_instantiate(CUgraph g, CUresult* r) {
	CUgraphExec e = 0;
	*r = cuGraphInstantiateWithFlags(&e, g, 0);
	return e;
}
static CUresult vg_is_capturing(CUstream s, int* capturing) {
	CUstreamCaptureStatus st = CU_STREAM_CAPTURE_STATUS_NONE;
	CUresult r = cuStreamIsCapturing(s, &st);
	*capturing = st != CU_STREAM_CAPTURE_STATUS_NONE;
	return r;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"syscall"
)

// Stream capture records the work queued on a stream into a CUDA graph
// instead of running it; launching the graph replays that work with one
// call, with the same kernels, arguments and addresses (device buffers,
// HostBuffers, the cuBLAS handle's workspace), which must stay allocated
// and in place while the graph is in use. New inputs are passed by
// writing into the same buffers between launches.
//
// Rules during a capture:
//   - Run the sequence once before capturing it, so that lazy set-up
//     (kernel lookup, binding a cuBLAS handle to the stream, cuBLAS
//     workspace) happens outside the capture.
//   - Only asynchronous work on the capturing stream is recorded: kernels,
//     Blas calls, CopyBuffer, Zero, and UploadAsync/DownloadAsync with
//     HostBuffers. Upload and Download of Go slices are refused (the graph
//     would keep addresses of Go memory).
//   - Synchronizing the stream or the device fails and invalidates the
//     capture, as may other calls that are not asynchronous on the stream
//     (allocating or freeing device memory, synchronous copies); EndCapture
//     then reports it, and the stream is usable again.
//
// The capture runs in thread-local mode: BeginCapture locks the calling
// goroutine to its OS thread until EndCapture, so the driver checks the
// calls of that goroutine only. Other goroutines may keep queuing work on
// their own streams. Calls that are illegal while any stream of the
// context captures (Device.Synchronize, allocating or freeing device or
// page-locked memory, opening or closing a Blas, closing a Graph or the
// Device) wait, on other goroutines, until no capture is in flight, and
// captures wait for those calls to finish; on the capturing goroutine
// they fail at once with ErrCapturing and leave the capture intact.
// EndCapture must be called by the goroutine that called BeginCapture;
// from another one it fails with CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD
// and the capture stays open.

// BeginCapture starts capturing the work queued on s. Every BeginCapture
// that succeeds must be followed by EndCapture on the same goroutine, also
// after an error, to leave capture mode (see Capture).
func (s *Stream) BeginCapture() error {
	if s.endCapture != nil {
		return errors.New("device: BeginCapture: the stream is already capturing")
	}
	unbind, err := s.d.bind()
	if err != nil {
		return err
	}
	tid := syscall.Gettid()
	s.d.gate.beginCapture(tid)
	if err := driverErr("cuStreamBeginCapture", C.vg_begin_capture(s.handle())); err != nil {
		s.d.gate.endCapture(tid)
		unbind()
		return err
	}
	s.endCapture = unbind // keeps the goroutine on this thread until EndCapture
	s.captureTID = tid
	return nil
}

// EndCapture ends the capture started by BeginCapture and returns the
// captured work as an executable graph. When the capture was invalidated
// (an illegal call during it), or the graph cannot be instantiated, it
// returns an error naming the call and no graph; s has left capture mode
// either way and is usable.
func (s *Stream) EndCapture() (*Graph, error) {
	if s.endCapture == nil {
		return nil, errors.New("device: EndCapture: the stream is not capturing")
	}
	var g *Graph
	wrongThread := false
	err := s.do(func() error {
		var r C.CUresult
		graph := C.vg_end_capture(s.handle(), &r)
		wrongThread = r == C.CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD
		if err := driverErr("cuStreamEndCapture", r); err != nil {
			if graph != nil {
				err = errors.Join(err, driverErr("cuGraphDestroy", C.cuGraphDestroy(graph)))
			}
			return err
		}
		if graph == nil {
			return errors.New("cuStreamEndCapture: no graph (the capture was invalidated)")
		}
		// The executable graph is independent of the captured one.
		exec := C.vg_instantiate(graph, &r)
		ok := r == C.CUDA_SUCCESS && exec != nil
		err := errors.Join(driverErr("cuGraphInstantiateWithFlags", r), driverErr("cuGraphDestroy", C.cuGraphDestroy(graph)))
		if err != nil {
			if ok {
				err = errors.Join(err, driverErr("cuGraphExecDestroy", C.cuGraphExecDestroy(exec)))
			}
			return err
		}
		if !ok {
			return errors.New("cuGraphInstantiateWithFlags: no executable graph")
		}
		g = &Graph{d: s.d, exec: exec}
		return nil
	})
	// Called from another goroutine, the capture is still on: keep it for
	// the goroutine that began it.
	if !wrongThread {
		s.d.gate.endCapture(s.captureTID)
		s.endCapture()
		s.endCapture = nil
	}
	return g, err
}

// Capture records the work f queues on s into a graph: BeginCapture, f,
// then EndCapture, which runs even when f fails so that s leaves capture
// mode. An error of f is returned first, joined with EndCapture's.
func (s *Stream) Capture(f func() error) (*Graph, error) {
	if err := s.BeginCapture(); err != nil {
		return nil, err
	}
	ferr := f()
	g, err := s.EndCapture()
	if ferr != nil {
		if g != nil {
			err = errors.Join(err, g.Close())
		}
		return nil, errors.Join(fmt.Errorf("device: capture: %w", ferr), err)
	}
	return g, err
}

// Capturing reports whether s is in capture mode (capturing, or holding an
// invalidated capture that EndCapture has not ended yet).
func (s *Stream) Capturing() (bool, error) {
	var on C.int
	err := s.do(func() error {
		return driverErr("cuStreamIsCapturing", C.vg_is_capturing(s.handle(), &on))
	})
	return on != 0, err
}

// errCapturingGo is the error of Upload and Download during a capture.
func errCapturingGo(name string) error {
	return fmt.Errorf("device: %s of Go memory cannot be captured into a graph (use %sAsync with a HostBuffer)", name, name)
}

// Graph is an executable CUDA graph captured from a stream.
type Graph struct {
	d    *Device
	exec C.CUgraphExec
}

// Launch queues one run of the graph on s (any stream of the device),
// after the work queued on s before it and after the graph's previous
// launch. It returns at once, like a kernel launch.
func (g *Graph) Launch(s *Stream) error {
	if g.exec == nil {
		return errors.New("device: launch of a closed graph")
	}
	return s.do(func() error { return driverErr("cuGraphLaunch", C.cuGraphLaunch(g.exec, s.handle())) })
}

// Close destroys the graph; a launch still running completes first.
// Closing twice is a no-op. It waits for the captures in flight and fails
// with ErrCapturing, leaving g open, on the capturing goroutine.
func (g *Graph) Close() error {
	if g.exec == nil {
		return nil
	}
	err := g.d.exclusive("cuGraphExecDestroy", func() error {
		return driverErr("cuGraphExecDestroy", C.cuGraphExecDestroy(g.exec))
	})
	if !errors.Is(err, ErrCapturing) {
		g.exec = nil
	}
	return err
}
