package miner

import (
	"container/heap"
	"fmt"
	"io"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Config sizes the output of Generate. Zero fields take the defaults in
// brackets; Resolved reports the values used.
type Config struct {
	Programs int // distinct programs, the groups [200]
	// MinerFraction is the share of programs that are miners [0.03]; the
	// count is rounded, and at least one when the share is positive. A
	// negative share means no miners.
	MinerFraction float64
	MinRuns       int // processes (runs) per program, at least [2]
	MaxRuns       int // processes per program, at most [6]; raised to MinRuns

	Start    time.Time     // start of the period [2024-03-01 00:00 UTC]
	Duration time.Duration // length of the period [6h]
	// SampleInterval is the period of CPU samples, syscall counts and
	// reports of long-lived connections [10s].
	SampleInterval time.Duration
	MemoryInterval time.Duration // period of memory samples [60s]
	// Period, when not zero, draws the processes (their number per
	// program, times and behaviour) from a generator of their own seeded
	// by it, so that datasets of one rng state and different periods
	// observe the same programs in different periods: the nightly windows
	// of one fleet. Zero draws them from rng after each program, as
	// before periods existed.
	Period uint64
}

// Resolved returns c with defaults filled in, as Generate uses it.
func (c Config) Resolved() Config {
	if c.Programs == 0 {
		c.Programs = 200
	}
	if c.MinerFraction == 0 {
		c.MinerFraction = 0.03
	}
	if c.MinRuns == 0 {
		c.MinRuns = 2
	}
	if c.MaxRuns == 0 {
		c.MaxRuns = 6
	}
	c.MaxRuns = max(c.MaxRuns, c.MinRuns)
	if c.Start.IsZero() {
		c.Start = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	}
	if c.Duration == 0 {
		c.Duration = 6 * time.Hour
	}
	if c.SampleInterval == 0 {
		c.SampleInterval = 10 * time.Second
	}
	if c.MemoryInterval == 0 {
		c.MemoryInterval = time.Minute
	}
	return c
}

// Validate reports values of a resolved config that Generate cannot use:
// negative counts or durations, a miner share above 1, a sample interval
// under a millisecond.
func (c Config) Validate() error {
	switch {
	case c.Programs < 0:
		return fmt.Errorf("miner: %d programs", c.Programs)
	case c.MinerFraction > 1 || math.IsNaN(c.MinerFraction):
		return fmt.Errorf("miner: miner fraction %v above 1", c.MinerFraction)
	case c.MinRuns < 1 || c.MaxRuns < c.MinRuns:
		return fmt.Errorf("miner: runs per program %d..%d", c.MinRuns, c.MaxRuns)
	case c.Duration <= 0:
		return fmt.Errorf("miner: period %v", c.Duration)
	case c.SampleInterval < time.Millisecond || c.MemoryInterval < time.Millisecond:
		return fmt.Errorf("miner: sample intervals %v and %v, want at least 1ms", c.SampleInterval, c.MemoryInterval)
	}
	return nil
}

// Miners returns the number of miner programs c gives (c resolved).
func (c Config) Miners() int {
	if c.MinerFraction <= 0 || c.Programs == 0 {
		return 0
	}
	return min(c.Programs, max(1, int(math.Round(c.MinerFraction*float64(c.Programs)))))
}

// Program is a program: the group of its processes.
type Program struct {
	ID     string // unique: "p017-nginx"
	Family Family
	Miner  bool
	Name   string // canonical name; a disguised miner's processes show others
	Binary string // canonical executable path
	Runs   int    // its processes in Dataset.Processes
}

// Process is one run of a program. Its events are generated on demand,
// from a seed drawn by Generate, so that Events is deterministic and the
// dataset holds no events.
type Process struct {
	PID       int
	PPID      int    // the parent need not be among the processes
	Program   string // Program.ID: the group
	Family    Family
	Miner     bool
	Name      string // observed name, as in the start event
	Binary    string
	Container string // container id, "" outside containers
	Threads   int
	Start     int64 // ns since the Unix epoch
	End       int64 // ns; the exit time, or the period's end
	Exits     bool  // it exits within the period (the stream has an exit event)

	seed      uint64
	prof      profile
	sample    int64 // ns
	memSample int64 // ns
}

// Dataset is the output of Generate: programs, and their processes
// ordered by start time.
type Dataset struct {
	Config    Config // resolved
	Programs  []Program
	Processes []Process
}

// Generate draws cfg.Programs programs, cfg.Miners() of them miners, in
// the families of LegitimateFamilies (each present once there are at
// least as many legitimate programs as families, the rest by weight) and
// MinerFamilies (in turn); the order of programs is shuffled. Each
// program runs MinRuns..MaxRuns processes, varying rates, memory and, for
// thread-bound families, thread counts around the program's own
// behaviour; miner programs disguise their process names in some runs.
// PIDs are unique and increase with start time. Everything depends only
// on cfg and the state of rng; a nil rng means a PCG seeded with (0, 0).
// Events are generated when asked for, by Process.Events, Dataset.Events
// or Dataset.WriteEvents.
func Generate(cfg Config, rng *rand.Rand) (*Dataset, error) {
	c := cfg.Resolved()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
	}
	fams := programFamilies(rng, c.Programs, c.Miners())
	d := &Dataset{Config: c, Programs: make([]Program, len(fams))}
	runs := rng
	if c.Period != 0 {
		runs = rand.New(rand.NewPCG(c.Period, 0x706572696f64))
	}
	start, end := c.Start.UnixNano(), c.Start.Add(c.Duration).UnixNano()
	for i, fam := range fams {
		prng := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
		sp := newProgramSpec(fam, prng)
		prog := Program{
			ID: fmt.Sprintf("p%03d-%s", i, sp.name), Family: fam, Miner: fam.IsMiner(),
			Name: sp.name, Binary: sp.binary, Runs: between(runs, c.MinRuns, c.MaxRuns),
		}
		d.Programs[i] = prog
		for range prog.Runs {
			d.Processes = append(d.Processes, sp.run(runs, prog, c, start, end))
		}
	}
	slices.SortStableFunc(d.Processes, func(a, b Process) int {
		switch {
		case a.Start < b.Start:
			return -1
		case a.Start > b.Start:
			return 1
		}
		return 0
	})
	pid := 1000 + runs.IntN(1000)
	for i := range d.Processes {
		pid += 1 + runs.IntN(40)
		d.Processes[i].PID = pid
	}
	return d, nil
}

// programFamilies returns the families of n programs, m of them miners,
// in shuffled order.
func programFamilies(rng *rand.Rand, n, m int) []Family {
	legit, miners := LegitimateFamilies(), MinerFamilies()
	out := make([]Family, 0, n)
	for i := range m {
		out = append(out, miners[i%len(miners)])
	}
	weights := make([]float64, len(legit))
	var total float64
	for i, f := range legit {
		weights[i] = familyWeight[f]
		total += weights[i]
	}
	for i := range n - m {
		if i < len(legit) {
			out = append(out, legit[i])
			continue
		}
		u := rng.Float64() * total
		k := 0
		for k < len(legit)-1 && u >= weights[k] {
			u -= weights[k]
			k++
		}
		out = append(out, legit[k])
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// Events generates the process's events in time order: the start event,
// libraries and files opened at start-up, then every SampleInterval a
// batch of connections, DNS queries and opens at random times followed by
// syscall counts and a CPU sample (and a memory sample every
// MemoryInterval), and an exit event if it exits. The same process always
// gives the same events.
func (p *Process) Events() []Event {
	g := newProcGen(p)
	var evs []Event
	for !g.done {
		evs = append(evs, g.next()...)
	}
	return evs
}

// Events returns the events of all processes merged in time order (ties
// by process order), as Process.Events gives them. Each process's events
// are generated one sample interval at a time, as the merge reaches them,
// so memory holds only the live processes' current intervals.
func (d *Dataset) Events() iter.Seq[Event] {
	return func(yield func(Event) bool) {
		h := &cursorHeap{}
		next := 0
		for {
			for next < len(d.Processes) && (h.Len() == 0 || d.Processes[next].Start <= (*h)[0].head().Time) {
				c := &cursor{g: newProcGen(&d.Processes[next]), order: next}
				if c.fill() {
					heap.Push(h, c)
				}
				next++
			}
			if h.Len() == 0 {
				return
			}
			c := (*h)[0]
			ev := c.evs[c.i]
			c.i++
			if c.i == len(c.evs) && !c.fill() {
				heap.Pop(h)
			} else {
				heap.Fix(h, 0)
			}
			if !yield(ev) {
				return
			}
		}
	}
}

// WriteEvents writes Events as JSON lines to w and returns how many it
// wrote.
func (d *Dataset) WriteEvents(w io.Writer) (int, error) {
	ew := NewEventWriter(w)
	for ev := range d.Events() {
		if err := ew.Write(ev); err != nil {
			return ew.Count(), err
		}
	}
	return ew.Count(), ew.Flush()
}

// cursor walks one process's events, a chunk of its generator at a time.
type cursor struct {
	g     *procGen
	evs   []Event // the current chunk, evs[i] next
	i     int
	order int
}

// fill loads the next non-empty chunk and reports whether there was one.
func (c *cursor) fill() bool {
	for !c.g.done {
		if c.evs, c.i = c.g.next(), 0; len(c.evs) > 0 {
			return true
		}
	}
	c.evs, c.i = nil, 0
	return false
}

func (c *cursor) head() *Event { return &c.evs[c.i] }

type cursorHeap []*cursor

func (h cursorHeap) Len() int { return len(h) }
func (h cursorHeap) Less(a, b int) bool {
	ta, tb := h[a].head().Time, h[b].head().Time
	if ta != tb {
		return ta < tb
	}
	return h[a].order < h[b].order
}
func (h cursorHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *cursorHeap) Push(x any)   { *h = append(*h, x.(*cursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return c
}
