package device

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// within fails the test when f does not return within d (a deadlock).
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatal("deadlock: the gate did not let the calls finish")
	}
}

// TestGateRefusesTheCapturingThread: an exclusive call on a thread that
// captures fails at once, even while another thread waits to go.
func TestGateRefusesTheCapturingThread(t *testing.T) {
	var g gate
	g.beginCapture(1)
	g.beginCapture(1) // a second capture on the same thread
	other := make(chan struct{})
	go func() {
		done, err := g.exclusive(2)
		if err != nil {
			t.Error(err)
		}
		done()
		close(other)
	}()
	within(t, 5*time.Second, func() {
		if _, err := g.exclusive(1); !errors.Is(err, ErrCapturing) {
			t.Errorf("exclusive call on the capturing thread: %v, want ErrCapturing", err)
		}
	})
	select {
	case <-other:
		t.Fatal("an exclusive call ran during a capture")
	case <-time.After(20 * time.Millisecond):
	}
	g.endCapture(1)
	select {
	case <-other:
		t.Fatal("an exclusive call ran while a capture was still open")
	case <-time.After(20 * time.Millisecond):
	}
	g.endCapture(1)
	within(t, 5*time.Second, func() { <-other })
	g.endCapture(1) // unmatched: ignored
	done, err := g.exclusive(1)
	if err != nil {
		t.Fatalf("exclusive call after the captures ended: %v", err)
	}
	done()
}

// TestGateWaitingExclusiveHoldsNewCaptures: a capture that begins while an
// exclusive call waits goes after it, so captures cannot starve it.
func TestGateWaitingExclusiveHoldsNewCaptures(t *testing.T) {
	var g gate
	g.beginCapture(1)
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		done, err := g.exclusive(2)
		if err != nil {
			t.Error(err)
			return
		}
		note("exclusive")
		done()
	}()
	for g.waitingNow() == 0 {
		time.Sleep(time.Millisecond)
	}
	go func() {
		defer wg.Done()
		g.beginCapture(3)
		note("capture")
		g.endCapture(3)
	}()
	time.Sleep(20 * time.Millisecond)
	g.endCapture(1)
	within(t, 5*time.Second, wg.Wait)
	if len(order) != 2 || order[0] != "exclusive" {
		t.Fatalf("order %v, want the waiting exclusive call first", order)
	}
}

func (g *gate) waitingNow() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waiting
}

// TestGateConcurrent runs captures and exclusive calls on many goroutines
// and checks that no exclusive call ever overlaps a capture, that
// captures overlap each other, and that everything finishes; capturing
// goroutines also try exclusive calls, which must fail without waiting.
func TestGateConcurrent(t *testing.T) {
	var g gate
	var capturing, exclusive, overlaps, concurrentCaptures atomic.Int32
	var wg sync.WaitGroup
	const rounds = 200
	for w := range 4 {
		tid := 100 + w
		wg.Add(2)
		go func() { // captures
			defer wg.Done()
			for range rounds {
				g.beginCapture(tid)
				if n := capturing.Add(1); n > 1 {
					concurrentCaptures.Add(1)
				}
				if exclusive.Load() > 0 {
					overlaps.Add(1)
				}
				if _, err := g.exclusive(tid); !errors.Is(err, ErrCapturing) {
					t.Errorf("exclusive call during a capture on its thread: %v", err)
				}
				time.Sleep(50 * time.Microsecond)
				capturing.Add(-1)
				g.endCapture(tid)
			}
		}()
		go func() { // allocations, frees, synchronizations
			defer wg.Done()
			for range rounds / 4 {
				done, err := g.exclusive(200 + tid)
				if err != nil {
					t.Error(err)
					return
				}
				exclusive.Add(1)
				if capturing.Load() > 0 {
					overlaps.Add(1)
				}
				time.Sleep(50 * time.Microsecond)
				exclusive.Add(-1)
				done()
			}
		}()
	}
	within(t, 30*time.Second, wg.Wait)
	if n := overlaps.Load(); n != 0 {
		t.Errorf("%d exclusive calls overlapped a capture", n)
	}
	if concurrentCaptures.Load() == 0 {
		t.Log("no two captures overlapped (allowed, but the test did not exercise it)")
	}
}
