package miner

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cpuModel draws CPU samples from a two-state Markov chain: a normal
// state and an alternative one (a compile burst, a training pause, a
// throttled miner's pause). Levels are percent of one core per thread;
// samples are clamped to [0, 100*threads].
type cpuModel struct {
	level, sd       float64 // normal state, per thread
	altLevel, altSD float64 // alternative state, per thread
	pIn, pOut       float64 // per sample: entering and leaving the alternative state
}

// memModel draws RSS samples: base plus growth per hour plus noise, MB.
type memModel struct {
	base, growth, sd float64
}

// sysRate is a syscall and its calls per second.
type sysRate struct {
	name string
	rate float64
}

// sysMix parses "name:rate name:rate ..." (rates in calls per second).
func sysMix(s string) []sysRate {
	var out []sysRate
	for _, f := range strings.Fields(s) {
		name, r, ok := strings.Cut(f, ":")
		v, err := strconv.ParseFloat(r, 64)
		if !ok || err != nil {
			panic("miner: bad syscall mix entry " + f)
		}
		out = append(out, sysRate{name, v})
	}
	return out
}

// dest is a remote service a process connects to.
type dest struct {
	name   string       // DNS name, "" when dialled by address
	ips    []netip.Addr // addresses it resolves to
	port   uint16
	proto  string
	weight float64
	out    float64 // median bytes sent per connection
	in     float64 // median bytes received per connection
}

// persistent is a long-lived connection reported every sample: one this
// process opens to d, or with inbound set one a client (d.ips) opens to
// d.port of this process (a database connection pool).
type persistent struct {
	d               dest
	inbound         bool
	outRate, inRate float64 // bytes per second
	reconnect       float64 // probability per sample of reconnecting
}

// inbound describes accepted connections.
type inbound struct {
	rate    float64      // new connections per second
	ports   []uint16     // local ports
	clients []netip.Addr // client addresses; nil means any Internet address
	out, in float64      // median bytes sent and received per connection
}

// fileGen draws file and directory opens.
type fileGen struct {
	dirs    []string
	exts    []string
	names   int      // distinct base names per directory
	fixed   []string // base names to use instead of generated ones
	rate    float64  // regular file opens per second
	dirRate float64  // directory opens per second
	numeric bool     // bare numeric names (database relation files)
}

// profile is the behaviour of one run.
type profile struct {
	threads    int
	cpu        cpuModel
	mem        memModel
	sys        []sysRate
	libs       []string // shared libraries loaded at start
	startFiles []string // files opened at start
	files      fileGen
	in         *inbound
	outRate    float64 // new outbound connections per second
	outs       []dest
	dnsP       float64 // probability of a DNS query before a new outbound connection to a named dest
	pers       []persistent
	minDur     time.Duration // run length, drawn log-uniformly
	maxDur     time.Duration
}

// vary returns a copy of p with run-to-run variation: rates scaled by a
// log-normal factor, memory and CPU levels jittered, and for thread-bound
// families (scaleThreads) a different thread count.
func (p profile) vary(rng *rand.Rand, scaleThreads bool) profile {
	f := func() float64 { return math.Exp(0.2 * rng.NormFloat64()) }
	q := p
	q.sys = slices.Clone(p.sys)
	for i := range q.sys {
		q.sys[i].rate *= f()
	}
	q.files.rate *= f()
	q.files.dirRate *= f()
	q.outRate *= f()
	if p.in != nil {
		in := *p.in
		in.rate *= f()
		q.in = &in
	}
	q.pers = slices.Clone(p.pers)
	for i := range q.pers {
		q.pers[i].outRate *= f()
		q.pers[i].inRate *= f()
	}
	q.mem.base *= math.Exp(0.1 * rng.NormFloat64())
	q.cpu.level = min(100, q.cpu.level*uniform(rng, 0.93, 1.07))
	if scaleThreads {
		q.threads = max(1, p.threads+rng.IntN(5)-2)
	}
	return q
}
