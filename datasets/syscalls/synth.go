package syscalls

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// SyntheticConfig sizes the output of Synthetic. A count that is zero
// takes its default and a negative count means none; other fields that
// are zero or out of range take their defaults. Resolved reports the
// values used.
type SyntheticConfig struct {
	Train      int // normal training traces, default 300
	Validation int // normal validation traces, default 100
	TestNormal int // normal test traces, default 100
	TestAttack int // attack test traces, default 100, families in turn

	MinCalls     int  // syscalls (entry events) per trace before any planted attack, about at least, default 200
	MaxCalls     int  // syscalls per trace, about at most, default 500; raised to MinCalls
	MaxProcesses int  // processes per trace, uniform in [1, MaxProcesses], default 3
	MaxThreads   int  // threads per process, uniform in [1, MaxThreads], default 3
	Exits        bool // follow every entry event with an exit event carrying a return value
}

// Resolved returns c with defaults filled in, as Synthetic uses it.
func (c SyntheticConfig) Resolved() SyntheticConfig {
	count := func(v, def int) int {
		if v == 0 {
			return def
		}
		return max(v, 0)
	}
	c.Train = count(c.Train, 300)
	c.Validation = count(c.Validation, 100)
	c.TestNormal = count(c.TestNormal, 100)
	c.TestAttack = count(c.TestAttack, 100)
	c.MinCalls = posOr(c.MinCalls, 200)
	c.MaxCalls = max(posOr(c.MaxCalls, 500), c.MinCalls)
	c.MaxProcesses = posOr(c.MaxProcesses, 3)
	c.MaxThreads = posOr(c.MaxThreads, 3)
	return c
}

func posOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// Synthetic generates labelled traces of program-like behaviour. Each
// trace runs one to MaxProcesses processes, each a program (a web server,
// a shell, a cron daemon, an archiver, a database) with one to MaxThreads
// threads; a program is a probabilistic grammar of routines with loops
// such as "open read* close", and the threads' calls are interleaved by
// time. Attack traces carry, in one thread, the contiguous call sequence
// of their family (see SyntheticFamilies and SyntheticPattern), planted
// between two routines; ExploitStart is the time of its first call. Every
// pattern holds a call no normal program makes. Calls have names, x86
// 32-bit numbers (so WriteADFA can write them), process and thread ids
// and times in ns. The traces come in the order train, validation, normal
// test, attack test, and depend only on cfg and the state of rng; a nil
// rng means a PCG seeded with (0, 0).
func Synthetic(cfg SyntheticConfig, rng *rand.Rand) []Trace {
	c := cfg.Resolved()
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
	}
	g := &synthGen{cfg: c, rng: rng, progs: buildPrograms()}
	fams := SyntheticFamilies()
	out := make([]Trace, 0, c.Train+c.Validation+c.TestNormal+c.TestAttack)
	for _, part := range []struct {
		n      int
		split  Split
		prefix string
	}{{c.Train, SplitTrain, "train/"}, {c.Validation, SplitValidation, "validation/"}, {c.TestNormal, SplitTest, "test/normal-"}} {
		for i := range part.n {
			out = append(out, g.trace(fmt.Sprintf("synthetic/%s%04d", part.prefix, i+1), part.split, ""))
		}
	}
	for i := range c.TestAttack {
		out = append(out, g.trace(fmt.Sprintf("synthetic/test/attack-%04d", i+1), SplitTest, fams[i%len(fams)]))
	}
	return out
}

// synthGen holds the state of one Synthetic run.
type synthGen struct {
	cfg   SyntheticConfig
	rng   *rand.Rand
	progs []*program
}

// synthBase is the synthetic clock's start, a Unix time in ns.
const synthBase = 1_600_000_000 * 1_000_000_000

// event is one generated call of a thread before timing.
type event struct {
	step
	routineStart bool
}

// trace generates one trace; family "" gives a normal trace.
func (g *synthGen) trace(id string, split Split, family string) Trace {
	rng := g.rng
	total := g.cfg.MinCalls + rng.IntN(g.cfg.MaxCalls-g.cfg.MinCalls+1)
	nproc := 1 + rng.IntN(g.cfg.MaxProcesses)
	type thread struct {
		prog     *program
		pid, tid int32
		main     bool
		weight   float64
	}
	var threads []thread
	pid := int32(1000 + rng.IntN(60000))
	for range nproc {
		p := g.progs[rng.IntN(len(g.progs))]
		nth := 1 + rng.IntN(g.cfg.MaxThreads)
		for k := range nth {
			threads = append(threads, thread{p, pid, pid + int32(k), k == 0, 0.5 + rng.Float64()})
		}
		pid += int32(nth + 1 + rng.IntN(50))
	}
	var wsum float64
	for _, t := range threads {
		wsum += t.weight
	}
	victim := -1
	if family != "" {
		victim = rng.IntN(len(threads))
	}
	t := Trace{ID: id, Split: split, Family: family, Calls: []Call{}}
	if family != "" {
		t.Label = Attack
	}
	for i, th := range threads {
		budget := max(10, int(float64(total)*th.weight/wsum+0.5))
		evs := g.threadEvents(th.prog, budget, th.main)
		planted := -1
		if i == victim {
			evs, planted = g.plant(evs, SyntheticPattern(family))
		}
		start := int64(synthBase)
		if !th.main {
			start += int64(rng.IntN(2_000_000))
		}
		calls := g.timeCalls(evs, th.prog, th.pid, th.tid, start)
		if planted >= 0 {
			k := planted
			if g.cfg.Exits {
				k *= 2
			}
			t.ExploitStart = calls[k].Time
		}
		t.Calls = append(t.Calls, calls...)
	}
	slices.SortStableFunc(t.Calls, func(a, b Call) int {
		switch {
		case a.Time < b.Time:
			return -1
		case a.Time > b.Time:
			return 1
		}
		return 0
	})
	return t
}

// threadEvents draws about budget calls of program p: the start-up routine
// for a main thread, then routines chosen by weight, each repeated with
// probability p.stay.
func (g *synthGen) threadEvents(p *program, budget int, main bool) []event {
	rng := g.rng
	out := make([]event, 0, budget+16)
	emit := func(steps []step) {
		for _, s := range steps {
			if s.opt && rng.Float64() < 0.5 {
				continue
			}
			reps := 1
			if s.loop {
				for reps < 16 && rng.Float64() < 0.6 {
					reps++
				}
			}
			for range reps {
				out = append(out, event{step: s})
			}
		}
	}
	if main {
		emit(p.start)
		if len(out) > 0 {
			out[0].routineStart = true
		}
	}
	prev := -1
	for len(out) < budget {
		r := prev
		if r < 0 || rng.Float64() >= p.stay {
			r = drawRoutine(p.routines, rng)
		}
		prev = r
		n := len(out)
		emit(p.routines[r].steps)
		if n < len(out) {
			out[n].routineStart = true
		}
	}
	return out[:budget]
}

// drawRoutine picks a routine index by weight.
func drawRoutine(rs []routine, rng *rand.Rand) int {
	var sum float64
	for _, r := range rs {
		sum += r.weight
	}
	u := rng.Float64() * sum
	for i, r := range rs {
		u -= r.weight
		if u < 0 {
			return i
		}
	}
	return len(rs) - 1
}

// plant inserts the calls of pattern at a routine boundary of evs and
// returns the new events and the index of the first planted call.
func (g *synthGen) plant(evs []event, pattern []string) ([]event, int) {
	var bounds []int
	for i, e := range evs {
		if e.routineStart && i > 0 {
			bounds = append(bounds, i)
		}
	}
	at := len(evs)
	if len(bounds) > 0 {
		at = bounds[g.rng.IntN(len(bounds))]
	}
	ins := make([]event, len(pattern))
	for i, name := range pattern {
		ins[i] = event{step: step{name: name, num: x86Numbers[name]}, routineStart: i == 0}
	}
	return slices.Insert(evs, at, ins...), at
}

// timeCalls turns events into calls with times: exponential pauses within
// (mean 15 µs) and between routines (mean p.gapNs), and with Exits an exit
// event after each entry.
func (g *synthGen) timeCalls(evs []event, p *program, pid, tid int32, start int64) []Call {
	rng := g.rng
	n := len(evs)
	if g.cfg.Exits {
		n *= 2
	}
	out := make([]Call, 0, n)
	t := start
	for i, e := range evs {
		mean := 15_000.0
		if e.routineStart && i > 0 {
			mean = p.gapNs
		}
		t += 200 + int64(rng.ExpFloat64()*mean)
		c := Call{Time: t, Name: e.name, Num: e.num, TID: tid, PID: pid, UID: p.uid, Process: p.name,
			Dir: DirEnter, ArgLen: int32(6 + rng.IntN(40)), NArgs: int16(1 + rng.IntN(3))}
		out = append(out, c)
		if g.cfg.Exits {
			t += 200 + int64(rng.ExpFloat64()*5_000)
			x := c
			x.Time, x.Dir, x.NArgs = t, DirExit, 1
			x.Ret, x.HasRet = synthRet(e.name, rng), true
			x.ArgLen = int32(len(fmt.Sprint("res=", x.Ret)))
			out = append(out, x)
		}
	}
	return out
}

// synthRet draws a plausible return value for a call.
func synthRet(name string, rng *rand.Rand) int64 {
	switch name {
	case "read", "readv", "pread64":
		if rng.Float64() < 0.05 {
			return -11 // EAGAIN
		}
		return int64(rng.IntN(4097))
	case "write", "writev", "pwrite64":
		return int64(1 + rng.IntN(2048))
	case "open", "openat", "stat64", "lstat64", "access":
		if rng.Float64() < 0.05 {
			return -2 // ENOENT
		}
		if name == "open" || name == "openat" {
			return int64(3 + rng.IntN(20))
		}
	case "socketcall", "dup2", "pipe":
		return int64(3 + rng.IntN(20))
	case "clone":
		return int64(1000 + rng.IntN(60000))
	case "getdents64":
		return int64(rng.IntN(32768))
	case "mmap2":
		return 0xb7000000 + int64(rng.IntN(1<<20))*4096
	}
	return 0
}
