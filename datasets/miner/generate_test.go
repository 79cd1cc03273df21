package miner

import (
	"bytes"
	"crypto/sha256"
	"math"
	"testing"
	"time"
)

func TestGenerateDeterministic(t *testing.T) {
	cfg := Config{Programs: 20, MinerFraction: 0.1, Duration: 20 * time.Minute, SampleInterval: 30 * time.Second}
	digest := func(a, b uint64) ([32]byte, int) {
		d := mustGenerate(t, cfg, seeded(a, b))
		var buf bytes.Buffer
		n, err := d.WriteEvents(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(buf.Bytes()), n
	}
	h1, n1 := digest(7, 8)
	h2, n2 := digest(7, 8)
	h3, _ := digest(7, 9)
	if h1 != h2 || n1 != n2 {
		t.Fatalf("same seed, different streams (%d and %d events)", n1, n2)
	}
	if h1 == h3 {
		t.Fatal("different seeds, same stream")
	}
	if n1 < 1000 {
		t.Fatalf("only %d events", n1)
	}
	// A process's events do not depend on when they are asked for.
	d := mustGenerate(t, cfg, seeded(7, 8))
	p := d.Processes[len(d.Processes)/2]
	a, b := p.Events(), p.Events()
	if len(a) != len(b) || a[len(a)-1] != b[len(b)-1] {
		t.Fatal("Process.Events differs between calls")
	}
}

func TestGenerateMinerFractionAndGroups(t *testing.T) {
	if got := (Config{}).Resolved().Miners(); got != 6 {
		t.Errorf("default config gives %d miner programs of 200, want 6 (3%%)", got)
	}
	for _, tc := range []struct {
		programs   int
		frac       float64
		wantMiners int
	}{{1000, 0, 30}, {1000, 0.1, 100}, {10, 0.03, 1}, {50, -1, 0}, {7, 1, 7}} {
		cfg := Config{Programs: tc.programs, MinerFraction: tc.frac, MinRuns: 2, MaxRuns: 5}
		d := mustGenerate(t, cfg, seeded(1, uint64(tc.programs)))
		if len(d.Programs) != tc.programs {
			t.Fatalf("%d programs, want %d", len(d.Programs), tc.programs)
		}
		miners := 0
		ids := map[string]*Program{}
		families := map[Family]int{}
		for i := range d.Programs {
			p := &d.Programs[i]
			if ids[p.ID] != nil {
				t.Fatalf("program id %q twice", p.ID)
			}
			ids[p.ID] = p
			if p.Miner {
				miners++
			}
			if p.Miner != p.Family.IsMiner() {
				t.Fatalf("program %s: miner %v but family %s", p.ID, p.Miner, p.Family)
			}
			if p.Runs < 2 || p.Runs > 5 {
				t.Fatalf("program %s has %d runs", p.ID, p.Runs)
			}
			families[p.Family]++
		}
		if miners != tc.wantMiners {
			t.Errorf("programs %d fraction %v: %d miners, want %d", tc.programs, tc.frac, miners, tc.wantMiners)
		}
		if tc.programs == 1000 {
			for _, f := range append(LegitimateFamilies(), MinerFamilies()...) {
				if families[f] == 0 {
					t.Errorf("no program of family %s", f)
				}
			}
		}
		// Every process belongs to one program and shares its label and
		// family; each program has exactly Runs processes.
		runs := map[string]int{}
		pids := map[int]bool{}
		var prevStart int64 = math.MinInt64
		prevPID := 0
		for _, pr := range d.Processes {
			prog := ids[pr.Program]
			if prog == nil {
				t.Fatalf("process %d of unknown program %q", pr.PID, pr.Program)
			}
			if pr.Miner != prog.Miner || pr.Family != prog.Family {
				t.Fatalf("process %d: miner %v family %s, program %s: %v %s", pr.PID, pr.Miner, pr.Family, prog.ID, prog.Miner, prog.Family)
			}
			runs[pr.Program]++
			if pids[pr.PID] || pr.PID <= prevPID || pr.Start < prevStart {
				t.Fatalf("pid %d: pids must be unique and increase with start time", pr.PID)
			}
			pids[pr.PID], prevPID, prevStart = true, pr.PID, pr.Start
			if pr.End <= pr.Start || pr.Threads < 1 {
				t.Fatalf("process %d: start %d end %d threads %d", pr.PID, pr.Start, pr.End, pr.Threads)
			}
		}
		for id, p := range ids {
			if runs[id] != p.Runs {
				t.Fatalf("program %s: %d processes, Runs %d", id, runs[id], p.Runs)
			}
		}
	}
}

func TestGenerateStreamShape(t *testing.T) {
	d := mustGenerate(t, smallConfig(), seeded(5, 6))
	c := d.Config
	start, end := c.Start.UnixNano(), c.Start.Add(c.Duration).UnixNano()
	byPID := map[int]*Process{}
	for i := range d.Processes {
		byPID[d.Processes[i].PID] = &d.Processes[i]
	}
	started, exited := map[int]bool{}, map[int]bool{}
	var last int64
	disguised := 0
	for e := range d.Events() {
		if e.Time < last {
			t.Fatalf("event at %d after one at %d", e.Time, last)
		}
		last = e.Time
		p := byPID[e.PID]
		if p == nil || e.Time < p.Start || e.Time > p.End || e.Time < start || e.Time > end {
			t.Fatalf("event %+v outside its process or the period", e)
		}
		if exited[e.PID] {
			t.Fatalf("event %+v after the exit", e)
		}
		switch e.Kind {
		case KindStart:
			if started[e.PID] || e.Time != p.Start || e.Program != p.Program || e.Miner != p.Miner || e.Name != p.Name {
				t.Fatalf("start %+v of process %+v", e, *p)
			}
			started[e.PID] = true
			if p.Miner && e.Name != "" && !bytes.Contains([]byte(e.Program), []byte(e.Name)) {
				disguised++
			}
		case KindExit:
			exited[e.PID] = true
		default:
			if !started[e.PID] {
				t.Fatalf("event %+v before the start", e)
			}
		}
		if e.Kind == KindOpen && (e.FileType == FileSharedLib) != IsSharedLibrary(e.Path) {
			t.Fatalf("open %q typed %v", e.Path, e.FileType)
		}
	}
	for _, p := range d.Processes {
		if !started[p.PID] || exited[p.PID] != p.Exits {
			t.Fatalf("process %d: started %v, exited %v, Exits %v", p.PID, started[p.PID], exited[p.PID], p.Exits)
		}
	}
	if disguised == 0 {
		t.Error("no miner process runs under a disguised name")
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{Programs: -1}, {MinerFraction: 1.5}, {MinRuns: -1}, {Duration: -time.Second},
		{SampleInterval: time.Microsecond}, {MinerFraction: math.NaN()},
	} {
		if _, err := Generate(c, nil); err == nil {
			t.Errorf("Generate(%+v) succeeded", c)
		}
	}
	if _, err := Generate(Config{Programs: 3, Duration: time.Minute}, nil); err != nil {
		t.Errorf("tiny config: %v", err)
	}
}

func TestProcessNotFromGenerate(t *testing.T) {
	p := Process{PID: 5, Name: "x", Start: 0, End: int64(25 * time.Second), Exits: true}
	evs := p.Events()
	if evs[0].Kind != KindStart || evs[len(evs)-1].Kind != KindExit {
		t.Fatalf("events %+v", evs)
	}
}
