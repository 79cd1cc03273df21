//go:build gpu

package device

import (
	"errors"

	"gorgonia.org/cu"
)

// Stream is a CUDA stream of the device (non-blocking with respect to the
// legacy default stream). A stream is used by one goroutine at a time.
type Stream struct {
	d *Device
	s cu.Stream

	bound      bool             // inside Bound: the context is current on this thread
	args       *[maxArgs]uint64 // kernel parameter slots (see Launch), an object without pointers for cgo
	endCapture func()           // while capturing: unlocks the capturing goroutine's thread
	captureTID int              // while capturing: the capturing OS thread
}

// NewStream creates a stream.
func (d *Device) NewStream() (*Stream, error) {
	s := &Stream{d: d, args: new([maxArgs]uint64)}
	err := d.do(func() error {
		var e error
		s.s, e = cu.MakeStream(cu.NonBlocking)
		return call("cuStreamCreate", e)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Bound runs f with the device's context made current once, on the OS
// thread the calling goroutine stays locked to until f returns, so that
// the calls f makes on s (launches, copies, cuBLAS calls, graph launches)
// need not each lock the thread and set the context. Nested calls run f
// directly. f must not use another Device, whose calls would make their
// context current on this thread; calls of s's Device that do not take a
// stream bind as usual (the same context).
func (s *Stream) Bound(f func() error) error {
	if s.bound {
		return f()
	}
	unbind, err := s.d.bind()
	if err != nil {
		return err
	}
	s.bound = true
	defer func() {
		s.bound = false
		unbind()
	}()
	return f()
}

// do runs f with the context current: directly inside Bound.
func (s *Stream) do(f func() error) error {
	if s.bound {
		return f()
	}
	return s.d.do(f)
}

// Synchronize waits until all work queued on s has finished and returns the
// first error it raised.
func (s *Stream) Synchronize() error {
	return s.do(func() error { return call("cuStreamSynchronize", s.s.Synchronize()) })
}

// WaitEvent makes later work on s wait for ev (recorded on any stream).
func (s *Stream) WaitEvent(ev *Event) error {
	return s.do(func() error { return call("cuStreamWaitEvent", s.s.Wait(ev.e, 0)) })
}

// Close destroys the stream (work queued on it still completes). A capture
// still under way is ended and discarded first.
func (s *Stream) Close() error {
	var err error
	if s.endCapture != nil {
		g, e := s.EndCapture()
		if g != nil {
			e = g.Close()
		}
		err = e
	}
	return errors.Join(err, s.d.do(func() error { return call("cuStreamDestroy", s.s.Destroy()) }))
}

// Event is a CUDA event, for ordering streams and timing.
type Event struct {
	d *Device
	e cu.Event
}

// NewEvent creates an event; timing enables Elapsed.
func (d *Device) NewEvent(timing bool) (*Event, error) {
	flags := cu.DefaultEvent
	if !timing {
		flags = cu.DisableTiming
	}
	ev := &Event{d: d}
	err := d.do(func() error {
		var e error
		ev.e, e = cu.MakeEvent(flags)
		return call("cuEventCreate", e)
	})
	if err != nil {
		return nil, err
	}
	return ev, nil
}

// Record records ev on s.
func (ev *Event) Record(s *Stream) error {
	return s.do(func() error { return call("cuEventRecord", ev.e.Record(s.s)) })
}

// Synchronize waits for the work recorded before ev.
func (ev *Event) Synchronize() error {
	return ev.d.do(func() error { return call("cuEventSynchronize", ev.e.Synchronize()) })
}

// Elapsed returns the milliseconds between start (ev) and end, both
// recorded and complete, created with timing.
func (ev *Event) Elapsed(end *Event) (float64, error) {
	var ms float64
	err := ev.d.do(func() error {
		var e error
		ms, e = ev.e.Elapsed(end.e)
		return call("cuEventElapsedTime", e)
	})
	return ms, err
}

// Close destroys the event.
func (ev *Event) Close() error {
	return ev.d.do(func() error { return call("cuEventDestroy", cu.DestroyEvent(&ev.e)) })
}
