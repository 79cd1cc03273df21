package miner

import (
	"cmp"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"time"
)

// procGen generates the events of one process, one sample interval at a
// time, so that it holds only the current interval's events.
type procGen struct {
	p     *Process
	prof  *profile
	rng   *rand.Rand
	out   []Event // the current chunk, reused by each call of next
	batch []Event // events of the current sample interval, sorted before appending
	calls []sysRate
	alt   bool // CPU model state
	conns []liveConn

	k       int64 // sample intervals generated
	prev    int64 // end of the last interval, ns
	nextMem int64 // time of the next memory sample, ns
	done    bool  // all events are out
}

// liveConn is the state of a persistent connection.
type liveConn struct {
	spec  *persistent
	ip    netip.Addr
	rport uint16 // remote port
	lport uint16 // local port
}

func newProcGen(p *Process) *procGen {
	q := *p
	if q.sample <= 0 { // a Process not made by Generate
		q.sample, q.memSample = int64(10*time.Second), int64(time.Minute)
	}
	return &procGen{p: &q, prof: &q.prof, rng: rand.New(rand.NewPCG(q.seed, 0x6d696e6572))}
}

// ev returns an event of the process at t, capped at its end.
func (g *procGen) ev(t int64, k Kind) Event {
	return Event{Time: min(t, g.p.End), PID: g.p.PID, Kind: k}
}

// within draws a time in (lo, hi].
func (g *procGen) within(lo, hi int64) int64 {
	if hi <= lo {
		return hi
	}
	return lo + 1 + g.rng.Int64N(hi-lo)
}

// next returns the process's next events in time order: the start event
// and start-up with the first sample interval, then one interval per call,
// the last with the exit event; nil once done. The slice is valid until
// the following call.
func (g *procGen) next() []Event {
	if g.done {
		return nil
	}
	p := g.p
	g.out = g.out[:0]
	if g.k == 0 {
		g.start()
	}
	g.k++
	tk := p.Start + g.k*p.sample
	last := tk >= p.End
	if last {
		tk = p.End
	}
	g.interval(g.prev, tk)
	if tk >= g.nextMem {
		g.memSample(tk)
		g.nextMem = tk + p.memSample
	}
	g.prev = tk
	if last {
		if p.Exits {
			g.out = append(g.out, g.ev(p.End, KindExit))
		}
		g.done = true
	}
	return g.out
}

// start emits the start event and draws the start-up: the loader maps
// libraries, the program reads its files, persistent connections open.
func (g *procGen) start() {
	p, prof, rng := g.p, g.prof, g.rng
	st := g.ev(p.Start, KindStart)
	st.Name, st.Binary, st.PPID, st.Container, st.Program, st.Miner = p.Name, p.Binary, p.PPID, p.Container, p.Program, p.Miner
	g.out = append(g.out, st)

	t := p.Start
	for _, lib := range prof.libs {
		t += int64(20*time.Microsecond) + rng.Int64N(int64(80*time.Microsecond))
		e := g.ev(t, KindOpen)
		e.Path, e.FileType = lib, FileSharedLib
		g.batch = append(g.batch, e)
	}
	for _, f := range prof.startFiles {
		t += int64(time.Millisecond) + rng.Int64N(int64(5*time.Millisecond))
		e := g.ev(t, KindOpen)
		e.Path = f
		g.batch = append(g.batch, e)
	}
	g.addCall("execve", 1)
	g.addCall("mmap", float64(10+2*len(prof.libs)))
	g.addCall("mprotect", float64(2*len(prof.libs)))
	g.addCall("brk", 3)
	g.addCall("arch_prctl", 1)
	g.addCall("set_tid_address", 1)
	g.addCall("rt_sigaction", 4)
	g.addCall("openat", float64(len(prof.libs)+len(prof.startFiles)))
	g.addCall("close", float64(len(prof.libs)+len(prof.startFiles)))
	if prof.threads > 1 {
		g.addCall("clone3", float64(prof.threads-1))
	}
	for i := range prof.pers {
		at := p.Start + int64(100*time.Millisecond) + rng.Int64N(int64(2*time.Second))
		g.conns = append(g.conns, liveConn{spec: &prof.pers[i]})
		g.connect(&g.conns[len(g.conns)-1], at)
	}
	g.prev, g.nextMem = p.Start, p.Start
}

// addCall counts n calls of a syscall in the current interval.
func (g *procGen) addCall(name string, n float64) {
	for i := range g.calls {
		if g.calls[i].name == name {
			g.calls[i].rate += n
			return
		}
	}
	g.calls = append(g.calls, sysRate{name, n})
}

// interval generates the events of (lo, hi], then the samples at hi.
func (g *procGen) interval(lo, hi int64) {
	prof, rng := g.prof, g.rng
	dt := float64(hi-lo) / 1e9
	if in := prof.in; in != nil {
		n := poisson(rng, in.rate*dt)
		for range n {
			e := g.ev(g.within(lo, hi), KindConn)
			if in.clients != nil {
				e.RemoteIP = pick(rng, in.clients)
			} else {
				e.RemoteIP = addrIn(rng, netInternet)
			}
			e.RemotePort, e.LocalPort, e.Proto, e.Inbound = ephemeralPort(rng), pick(rng, in.ports), "tcp", true
			e.BytesOut, e.BytesIn = int64(logNormal(rng, in.out, 1)), int64(logNormal(rng, in.in, 0.6))
			g.batch = append(g.batch, e)
		}
		g.addCall("accept4", float64(n))
		g.addCall("close", float64(n))
	}
	if len(prof.outs) > 0 {
		n := poisson(rng, prof.outRate*dt)
		for range n {
			d := g.pickDest()
			t := g.within(lo, hi)
			g.query(d, t)
			e := g.ev(t, KindConn)
			e.RemoteIP, e.RemotePort, e.LocalPort, e.Proto = pick(rng, d.ips), d.port, ephemeralPort(rng), d.proto
			e.BytesOut, e.BytesIn = int64(logNormal(rng, d.out, 0.8)), int64(logNormal(rng, d.in, 0.8))
			g.batch = append(g.batch, e)
		}
		g.addCall("socket", float64(n))
		g.addCall("connect", float64(n))
		g.addCall("close", float64(n))
	}
	g.opens(lo, hi, dt)
	for i := range g.conns {
		c := &g.conns[i]
		if rng.Float64() < c.spec.reconnect {
			g.connect(c, g.within(lo, hi))
			continue
		}
		out := int64(math.Round(c.spec.outRate * dt * uniform(rng, 0.5, 1.5)))
		in := int64(math.Round(c.spec.inRate * dt * uniform(rng, 0.5, 1.5)))
		if out+in == 0 {
			continue
		}
		e := g.connEvent(c, hi)
		e.BytesOut, e.BytesIn, e.Continued = out, in, true
		g.batch = append(g.batch, e)
	}
	// Start-up events may lie beyond a short first interval: keep them.
	slices.SortStableFunc(g.batch, func(a, b Event) int { return cmp.Compare(a.Time, b.Time) })
	n, _ := slices.BinarySearchFunc(g.batch, hi+1, func(e Event, t int64) int { return cmp.Compare(e.Time, t) })
	g.out = append(g.out, g.batch[:n]...)
	g.batch = append(g.batch[:0], g.batch[n:]...)

	for _, s := range prof.sys {
		g.addCall(s.name, float64(poisson(rng, s.rate*dt)))
	}
	for _, c := range g.calls {
		if n := int(c.rate); n > 0 {
			e := g.ev(hi, KindSyscall)
			e.Syscall, e.Count = c.name, n
			g.out = append(g.out, e)
		}
	}
	g.calls = g.calls[:0]
	g.cpuSample(hi)
}

// opens draws file and directory opens in (lo, hi].
func (g *procGen) opens(lo, hi int64, dt float64) {
	f, rng := &g.prof.files, g.rng
	if len(f.dirs) == 0 {
		return
	}
	nf, nd := poisson(rng, f.rate*dt), poisson(rng, f.dirRate*dt)
	for range nf {
		e := g.ev(g.within(lo, hi), KindOpen)
		dir := pick(rng, f.dirs)
		switch {
		case len(f.fixed) > 0:
			e.Path = dir + "/" + pick(rng, f.fixed)
		case f.numeric:
			e.Path = dir + "/" + strconv.Itoa(16384+rng.IntN(max(f.names, 1)))
		default:
			e.Path = dir + "/f" + strconv.Itoa(rng.IntN(max(f.names, 1)))
			if len(f.exts) > 0 {
				e.Path += pick(rng, f.exts)
			}
		}
		g.batch = append(g.batch, e)
	}
	for range nd {
		e := g.ev(g.within(lo, hi), KindOpen)
		e.Path, e.FileType = pick(rng, f.dirs), FileDir
		g.batch = append(g.batch, e)
	}
	g.addCall("openat", float64(nf+nd))
	g.addCall("close", float64(nf+nd))
	g.addCall("getdents64", float64(2*nd))
}

// pickDest draws an outbound destination by weight.
func (g *procGen) pickDest() *dest {
	var total float64
	for i := range g.prof.outs {
		total += g.prof.outs[i].weight
	}
	u := g.rng.Float64() * total
	for i := range g.prof.outs {
		if u < g.prof.outs[i].weight {
			return &g.prof.outs[i]
		}
		u -= g.prof.outs[i].weight
	}
	return &g.prof.outs[len(g.prof.outs)-1]
}

// query emits a DNS query for d at t, with probability dnsP.
func (g *procGen) query(d *dest, t int64) {
	if d.name == "" || g.rng.Float64() >= g.prof.dnsP {
		return
	}
	e := g.ev(t, KindDNS)
	e.Query = d.name
	g.batch = append(g.batch, e)
	g.addCall("sendto", 1)
	g.addCall("recvfrom", 1)
}

// connect (re)opens the persistent connection c at t.
func (g *procGen) connect(c *liveConn, t int64) {
	rng, d := g.rng, &c.spec.d
	c.ip = pick(rng, d.ips)
	if c.spec.inbound {
		c.rport, c.lport = ephemeralPort(rng), d.port
	} else {
		g.query(d, t)
		c.rport, c.lport = d.port, ephemeralPort(rng)
		g.addCall("socket", 1)
		g.addCall("connect", 1)
	}
	e := g.connEvent(c, t)
	e.BytesOut, e.BytesIn = int64(uniform(rng, 200, 600)), int64(uniform(rng, 300, 1500))
	g.batch = append(g.batch, e)
}

func (g *procGen) connEvent(c *liveConn, t int64) Event {
	e := g.ev(t, KindConn)
	e.RemoteIP, e.RemotePort, e.LocalPort, e.Proto, e.Inbound = c.ip, c.rport, c.lport, c.spec.d.proto, c.spec.inbound
	return e
}

// cpuSample emits the CPU sample at t.
func (g *procGen) cpuSample(t int64) {
	c, rng := &g.prof.cpu, g.rng
	if g.alt {
		g.alt = rng.Float64() >= c.pOut
	} else {
		g.alt = rng.Float64() < c.pIn
	}
	level, sd := c.level, c.sd
	if g.alt {
		level, sd = c.altLevel, c.altSD
	}
	th := float64(g.prof.threads)
	v := th * (level + sd*rng.NormFloat64())
	e := g.ev(t, KindCPU)
	e.Value = roundTo(min(max(v, 0), 100*th), 1)
	g.out = append(g.out, e)
}

// memSample emits the memory sample at t.
func (g *procGen) memSample(t int64) {
	m := &g.prof.mem
	hours := float64(t-g.p.Start) / float64(time.Hour)
	e := g.ev(t, KindMemory)
	e.Value = roundTo(max(1, m.base+m.growth*hours+m.sd*g.rng.NormFloat64()), 1)
	g.out = append(g.out, e)
}
