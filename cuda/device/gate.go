package device

import (
	"errors"
	"sync"
)

// ErrCapturing is the error of a call that is illegal while a stream of
// the context is capturing (see Stream.BeginCapture), made by the
// goroutine that is capturing: it would invalidate its own capture, and
// waiting for the capture to end would never return.
var ErrCapturing = errors.New("device: not allowed while this goroutine is capturing a stream")

// gate orders the calls that are illegal while any stream of a context is
// capturing (freeing or allocating memory, synchronizing the device,
// creating or destroying cuBLAS handles: "exclusive" calls) against the
// captures in flight, on any goroutine. An exclusive call waits until no
// capture is in flight; a capture waits until no exclusive call runs or
// waits (so that captures cannot starve them). Captures run concurrently
// with each other, and so do exclusive calls. Callers are identified by
// OS thread: a capturing goroutine stays locked to its thread until the
// capture ends, so no other goroutine runs there meanwhile.
type gate struct {
	mu       sync.Mutex
	cond     *sync.Cond
	captures map[int]int // open captures per capturing thread
	open     int         // captures in flight
	running  int         // exclusive calls running
	waiting  int         // exclusive calls waiting
}

func (g *gate) init() {
	if g.cond == nil {
		g.cond = sync.NewCond(&g.mu)
		g.captures = map[int]int{}
	}
}

// beginCapture registers a capture on thread tid, waiting first for the
// exclusive calls running or waiting, unless tid already captures (a wait
// there would never end).
func (g *gate) beginCapture(tid int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	for g.captures[tid] == 0 && (g.running > 0 || g.waiting > 0) {
		g.cond.Wait()
	}
	g.captures[tid]++
	g.open++
}

// endCapture ends a capture that beginCapture registered on thread tid.
func (g *gate) endCapture(tid int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	if g.captures[tid] == 0 {
		return
	}
	if g.captures[tid]--; g.captures[tid] == 0 {
		delete(g.captures, tid)
	}
	g.open--
	g.cond.Broadcast()
}

// exclusive waits until no capture is in flight and returns the function
// that ends the exclusive call; on a thread that captures it returns
// ErrCapturing at once.
func (g *gate) exclusive(tid int) (done func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	if g.captures[tid] > 0 {
		return nil, ErrCapturing
	}
	g.waiting++
	for g.open > 0 {
		g.cond.Wait()
	}
	g.waiting--
	g.running++
	return func() {
		g.mu.Lock()
		g.running--
		g.cond.Broadcast()
		g.mu.Unlock()
	}, nil
}
