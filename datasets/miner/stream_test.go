package miner

import (
	"container/heap"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"
)

// wholeLifetime generates p's events all at once, as Process.Events did
// before generation streamed: one procGen run over every interval.
func wholeLifetime(p *Process) []Event {
	g := newProcGen(p)
	g.start()
	q := g.p
	nextMem, prev := q.Start, q.Start
	for k := int64(1); ; k++ {
		tk := q.Start + k*q.sample
		last := tk >= q.End
		if last {
			tk = q.End
		}
		g.interval(prev, tk)
		if tk >= nextMem {
			g.memSample(tk)
			nextMem = tk + q.memSample
		}
		prev = tk
		if last {
			break
		}
	}
	if q.Exits {
		g.out = append(g.out, g.ev(q.End, KindExit))
	}
	return g.out
}

// refEvents merges whole-lifetime event slices the way Dataset.Events did
// before it streamed.
func refEvents(d *Dataset) []Event {
	var out []Event
	h := &cursorHeap{}
	next := 0
	for {
		for next < len(d.Processes) && (h.Len() == 0 || d.Processes[next].Start <= (*h)[0].head().Time) {
			if evs := wholeLifetime(&d.Processes[next]); len(evs) > 0 {
				heap.Push(h, &cursor{evs: evs, order: next})
			}
			next++
		}
		if h.Len() == 0 {
			return out
		}
		c := (*h)[0]
		out = append(out, c.evs[c.i])
		if c.i++; c.i == len(c.evs) {
			heap.Pop(h)
		} else {
			heap.Fix(h, 0)
		}
	}
}

// checkStream checks that d.Events yields exactly refEvents(d), and that
// stopping early yields a prefix.
func checkStream(t *testing.T, d *Dataset) {
	t.Helper()
	want := refEvents(d)
	i := 0
	for e := range d.Events() {
		if i >= len(want) {
			t.Fatalf("stream longer than the %d reference events", len(want))
		}
		if e != want[i] {
			t.Fatalf("event %d: got %+v, want %+v", i, e, want[i])
		}
		i++
	}
	if i != len(want) || i == 0 {
		t.Fatalf("stream of %d events, reference %d", i, len(want))
	}
	stop := len(want) / 3
	i = 0
	for e := range d.Events() {
		if e != want[i] {
			t.Fatalf("early stop: event %d differs", i)
		}
		if i++; i == stop {
			break
		}
	}
}

func TestEventsStreamMatchesWholeLifetime(t *testing.T) {
	for i, cfg := range []Config{
		smallConfig(),
		smallConfig(),
		{Programs: 12, MinerFraction: 0.25, Duration: 12 * time.Hour},
		{Programs: 30, MinerFraction: 0.1, Duration: 30 * time.Minute, MinRuns: 6, MaxRuns: 14},
		{Programs: 15, MinerFraction: 0.3, Duration: 47*time.Minute + 3*time.Second, SampleInterval: 7 * time.Second, MemoryInterval: 5 * time.Second},
		{Programs: 5, MinerFraction: 0.5, Duration: 90 * time.Second, SampleInterval: 20 * time.Minute},
	} {
		checkStream(t, mustGenerate(t, cfg, seeded(uint64(i), 5)))
	}
}

// TestEventsStreamPIDReuseAndTies reuses the PIDs of exited processes and
// gives processes equal start times, so that ties break by process order.
func TestEventsStreamPIDReuseAndTies(t *testing.T) {
	d := mustGenerate(t, Config{Programs: 25, MinerFraction: 0.1, Duration: time.Hour, MinRuns: 3, MaxRuns: 8}, seeded(3, 4))
	var exited []int
	reused := 0
	for i := range d.Processes {
		p := &d.Processes[i]
		if i%4 == 1 {
			p.Start = d.Processes[i-1].Start
			p.End = max(p.End, p.Start+1)
		}
		if len(exited) > 0 && d.Processes[exited[0]].End < p.Start {
			p.PID = d.Processes[exited[0]].PID
			exited = exited[1:]
			reused++
		}
		if p.Exits {
			exited = append(exited, i)
		}
	}
	if reused == 0 {
		t.Fatal("no PID reused")
	}
	checkStream(t, d)
	// Processes not made by Generate, sharing a PID and a start.
	d = &Dataset{Processes: []Process{
		{PID: 7, Name: "a", Start: 0, End: int64(95 * time.Second), Exits: true},
		{PID: 8, Name: "b", Start: 0, End: int64(time.Hour)},
		{PID: 7, Name: "c", Start: int64(2 * time.Minute), End: int64(3 * time.Minute), Exits: true},
	}}
	checkStream(t, d)
}

func TestProcessEventsMatchesWholeLifetime(t *testing.T) {
	d := mustGenerate(t, Config{Programs: 30, MinerFraction: 0.2, Duration: 2 * time.Hour}, seeded(11, 12))
	for i := range d.Processes {
		p := &d.Processes[i]
		got, want := p.Events(), wholeLifetime(p)
		if len(got) != len(want) {
			t.Fatalf("process %d: %d events, want %d", p.PID, len(got), len(want))
		}
		for j := range got {
			if got[j] != want[j] {
				t.Fatalf("process %d event %d: got %+v, want %+v", p.PID, j, got[j], want[j])
			}
		}
	}
}

// generateAndWindow generates cfg from seed and windows its event stream,
// reporting the peak growth of the in-use heap (sampled) and the bytes
// allocated meanwhile, with the default GC target.
func generateAndWindow(t testing.TB, cfg Config, seed uint64) (events, rows int, peak, alloc uint64) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, alloc0 := ms.HeapInuse, ms.TotalAlloc
	maxInuse := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				maxInuse = max(maxInuse, m.HeapInuse)
			}
		}
	})
	d, err := Generate(cfg, seeded(seed, seed))
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWindower(WindowConfig{}, func(FeatureRow) error { rows++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	for e := range d.Events() {
		events++
		if err := w.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	close(done)
	wg.Wait()
	runtime.ReadMemStats(&ms)
	maxInuse = max(maxInuse, ms.HeapInuse)
	return events, rows, maxInuse - base, ms.TotalAlloc - alloc0
}

// TestEventsMemoryBounded generates and windows 200 programs over 3 hours
// (about 4.7 million events). Whole-lifetime generation peaked near 1.8 GB
// of heap and allocated 6 GB; streaming needs tens of MB.
func TestEventsMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("3-hour dataset")
	}
	events, rows, peak, alloc := generateAndWindow(t, Config{Programs: 200, MinerFraction: 0.1, Duration: 3 * time.Hour}, 1)
	t.Logf("%d events, %d rows: peak heap +%.1f MB, allocated %.1f MB", events, rows, float64(peak)/1e6, float64(alloc)/1e6)
	if events < 1e6 || rows < 1000 {
		t.Fatalf("only %d events, %d rows", events, rows)
	}
	if peak > 200e6 {
		t.Errorf("peak heap grew by %.0f MB, want under 200 MB", float64(peak)/1e6)
	}
	if alloc > 1e9 {
		t.Errorf("allocated %.0f MB, want under 1 GB", float64(alloc)/1e6)
	}
}

// BenchmarkGenerateAndWindow reports the peak heap growth and allocation
// of generating and windowing 200 programs over an hour.
func BenchmarkGenerateAndWindow(b *testing.B) {
	var peak, alloc uint64
	for b.Loop() {
		_, _, p, a := generateAndWindow(b, Config{Programs: 200, MinerFraction: 0.1, Duration: time.Hour}, 1)
		peak, alloc = max(peak, p), max(alloc, a)
	}
	b.ReportMetric(float64(peak)/1e6, "peak-MB")
	b.ReportMetric(float64(alloc)/1e6, "alloc-MB/op")
}
