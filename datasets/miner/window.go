package miner

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"path"
	"slices"
	"strings"
	"time"
)

// WindowConfig configures window aggregation. The zero value means the
// defaults in brackets; a nil slice means its default list and an empty
// non-nil slice means none.
type WindowConfig struct {
	// Length of a window [10 minutes]. Windows are aligned to the Unix
	// epoch: window k covers [k*Length, (k+1)*Length) ns.
	Length time.Duration
	// MiningPorts are the remote ports of mining pools counted by
	// FeatMiningPortShare [DefaultMiningPorts].
	MiningPorts []uint16
	// PoolPatterns are path.Match patterns ("pool.*", "*.nanopool.org")
	// matched against lower-cased DNS queries for FeatDNSPoolMatch
	// [DefaultPoolPatterns]. A "*" matches dots too.
	PoolPatterns []string
	// CryptoLibs are prefixes of the base names of shared libraries that
	// count as crypto libraries for FeatCryptoLib [DefaultCryptoLibs].
	CryptoLibs []string
	// MaxDistinct caps each distinct set of a window (remote addresses,
	// remote ports, directories, libraries), so that an open window holds
	// at most 4*MaxDistinct values; a distinct count saturates at it
	// [4096].
	MaxDistinct int
}

// DefaultMiningPorts returns the stratum ports counted by default: 3333,
// 4444, 5555, 7777, 14444 and 45700. Port 443, which pools also serve
// over TLS, is not among them.
func DefaultMiningPorts() []uint16 { return []uint16{3333, 4444, 5555, 7777, 14444, 45700} }

// DefaultPoolPatterns returns the DNS patterns of mining pools used by
// default: "pool.*", "*.nanopool.org", "*.minexmr.com" and
// "*.supportxmr.com".
func DefaultPoolPatterns() []string {
	return []string{"pool.*", "*.nanopool.org", "*.minexmr.com", "*.supportxmr.com"}
}

// DefaultCryptoLibs returns the library name prefixes counted as crypto
// libraries by default: "libcrypto", "libuv" and "libhwloc" (OpenSSL's
// primitives, and the event loop and topology libraries of xmrig). Many
// legitimate programs load libcrypto, so the feature is a hint, not a
// verdict.
func DefaultCryptoLibs() []string { return []string{"libcrypto", "libuv", "libhwloc"} }

// Resolved returns c with defaults filled in, as the Windower uses it.
func (c WindowConfig) Resolved() WindowConfig {
	if c.Length == 0 {
		c.Length = 10 * time.Minute
	}
	if c.MiningPorts == nil {
		c.MiningPorts = DefaultMiningPorts()
	}
	if c.PoolPatterns == nil {
		c.PoolPatterns = DefaultPoolPatterns()
	}
	if c.CryptoLibs == nil {
		c.CryptoLibs = DefaultCryptoLibs()
	}
	if c.MaxDistinct == 0 {
		c.MaxDistinct = 4096
	}
	return c
}

// Validate reports a negative length or cap, or a malformed pattern.
func (c WindowConfig) Validate() error {
	if c.Length < 0 {
		return fmt.Errorf("miner: window length %v", c.Length)
	}
	if c.MaxDistinct < 0 {
		return fmt.Errorf("miner: MaxDistinct %d", c.MaxDistinct)
	}
	for _, p := range c.PoolPatterns {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("miner: pool pattern %q: %w", p, err)
		}
	}
	return nil
}

// capSet is a set that stops growing at a cap; its size saturates there.
type capSet[T comparable] struct {
	m map[T]struct{}
}

func (s *capSet[T]) add(v T, limit int) {
	if len(s.m) >= limit {
		return
	}
	if s.m == nil {
		s.m = make(map[T]struct{})
	}
	s.m[v] = struct{}{}
}

func (s *capSet[T]) len() int { return len(s.m) }

// windowAcc accumulates one process's window in constant space apart from
// the four capped sets.
type windowAcc struct {
	start int64

	sys [numSysFamilies]int64

	cpuN                   int
	cpuMean, cpuM2, cpuMax float64 // Welford's running mean and sum of squares
	memN                   int
	memSum, memMax         float64
	conns, records, mining int64
	bytesIn, bytesOut      int64
	dns                    int64
	poolMatch              bool
	files                  int64
	ips                    capSet[netip.Addr]
	ports                  capSet[uint16]
	dirs, libs             capSet[string]
}

// procState is what the Windower keeps of a live process.
type procState struct {
	pid      int
	program  string
	name     string
	miner    bool
	crypto   bool       // a crypto library has been loaded
	acc      *windowAcc // the open window, nil when none
	openSlot int        // index in Windower.open while acc != nil
}

// Windower aggregates a time-ordered event stream into per-process window
// features, in memory bounded by the live processes: one open window per
// process, each holding constant state plus capped distinct sets. When an
// event falls in a later window than the current one, every open window
// is closed and emitted; a process's window is also emitted when the
// process exits or starts anew (pid reuse). Rows come in closing order,
// rows closed together sorted by PID.
//
// Events may be out of order within the current window, but an event
// before its start is an error. A process is keyed by PID from its start
// event; events of a PID without a start (a stream that began late) make a
// process with an empty Program and Name, labelled not a miner. A process
// that neither exits nor reappears stays in the table of live processes
// (a few words) until Close.
type Windower struct {
	cfg     WindowConfig
	length  int64
	ports   map[uint16]bool
	emit    func(FeatureRow) error
	procs   map[int]*procState
	open    []*procState
	cur     int64 // index of the current window
	started bool
	closed  bool
}

// NewWindower returns a Windower that calls emit, which must not be nil,
// with each finished row; an error from emit is returned by the Add or
// Close that caused it. It fails when cfg does not validate.
func NewWindower(cfg WindowConfig, emit func(FeatureRow) error) (*Windower, error) {
	c := cfg.Resolved()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	w := &Windower{cfg: c, length: int64(c.Length), ports: map[uint16]bool{}, emit: emit, procs: map[int]*procState{}}
	for _, p := range c.MiningPorts {
		w.ports[p] = true
	}
	return w, nil
}

// OpenWindows returns the number of windows being accumulated, at most one
// per live process.
func (w *Windower) OpenWindows() int { return len(w.open) }

// LiveProcesses returns the number of processes seen and not exited.
func (w *Windower) LiveProcesses() int { return len(w.procs) }

// floorDiv returns floor(a/b) for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Add adds one event. It fails on an event before the current window, on
// an event that does not validate, after Close, and with emit's error.
func (w *Windower) Add(e Event) error {
	if w.closed {
		return errors.New("miner: Windower.Add after Close")
	}
	if err := e.validate(); err != nil {
		return fmt.Errorf("miner: pid %d at %d: %w", e.PID, e.Time, err)
	}
	k := floorDiv(e.Time, w.length)
	switch {
	case !w.started:
		w.cur, w.started = k, true
	case k < w.cur:
		return fmt.Errorf("miner: event of pid %d at %d ns is before the current window starting at %d ns: events out of time order",
			e.PID, e.Time, w.cur*w.length)
	case k > w.cur:
		if err := w.closeAll(); err != nil {
			return err
		}
		w.cur = k
	}
	p := w.procs[e.PID]
	if e.Kind == KindStart {
		if p != nil {
			if err := w.closeProc(p); err != nil {
				return err
			}
		}
		prog := e.Program
		if prog == "" {
			prog = e.Name
		}
		p = &procState{pid: e.PID, program: prog, name: e.Name, miner: e.Miner}
		w.procs[e.PID] = p
	} else if p == nil {
		p = &procState{pid: e.PID}
		w.procs[e.PID] = p
	}
	if p.acc == nil {
		p.acc = &windowAcc{start: w.cur * w.length}
		p.openSlot = len(w.open)
		w.open = append(w.open, p)
	}
	w.accumulate(p, &e)
	if e.Kind == KindExit {
		if err := w.closeProc(p); err != nil {
			return err
		}
		delete(w.procs, e.PID)
	}
	return nil
}

// accumulate adds e to p's open window.
func (w *Windower) accumulate(p *procState, e *Event) {
	a, limit := p.acc, w.cfg.MaxDistinct
	switch e.Kind {
	case KindSyscall:
		a.sys[FamilyOfSyscall(e.Syscall)] += int64(max(e.Count, 1))
	case KindCPU:
		a.cpuN++
		d := e.Value - a.cpuMean
		a.cpuMean += d / float64(a.cpuN)
		a.cpuM2 += d * (e.Value - a.cpuMean)
		a.cpuMax = max(a.cpuMax, e.Value)
	case KindMemory:
		a.memN++
		a.memSum += e.Value
		a.memMax = max(a.memMax, e.Value)
	case KindConn:
		a.records++
		if !e.Continued {
			a.conns++
		}
		if !e.Inbound && w.ports[e.RemotePort] {
			a.mining++
		}
		a.bytesIn += e.BytesIn
		a.bytesOut += e.BytesOut
		a.ips.add(e.RemoteIP, limit)
		a.ports.add(e.RemotePort, limit)
	case KindDNS:
		a.dns++
		if !a.poolMatch && w.matchesPool(e.Query) {
			a.poolMatch = true
		}
	case KindOpen:
		switch e.FileType {
		case FileRegular:
			a.files++
			a.dirs.add(path.Dir(e.Path), limit)
		case FileDir:
			a.dirs.add(path.Clean(e.Path), limit)
		case FileSharedLib:
			a.libs.add(e.Path, limit)
			if !p.crypto && w.isCryptoLib(e.Path) {
				p.crypto = true
			}
		}
	}
}

func (w *Windower) matchesPool(q string) bool {
	q = strings.ToLower(strings.TrimSuffix(q, "."))
	for _, pat := range w.cfg.PoolPatterns {
		if ok, _ := path.Match(pat, q); ok {
			return true
		}
	}
	return false
}

func (w *Windower) isCryptoLib(p string) bool {
	base := p[strings.LastIndexByte(p, '/')+1:]
	for _, pre := range w.cfg.CryptoLibs {
		if strings.HasPrefix(base, pre) {
			return true
		}
	}
	return false
}

// closeProc emits p's open window, if any, and removes it from w.open.
func (w *Windower) closeProc(p *procState) error {
	if p.acc == nil {
		return nil
	}
	i, last := p.openSlot, len(w.open)-1
	w.open[i] = w.open[last]
	w.open[i].openSlot = i
	w.open[last] = nil
	w.open = w.open[:last]
	row := p.row()
	p.acc = nil
	return w.emit(row)
}

// closeAll emits every open window, sorted by PID.
func (w *Windower) closeAll() error {
	open := w.open
	w.open = nil
	slices.SortFunc(open, func(a, b *procState) int { return cmp.Compare(a.pid, b.pid) })
	var first error
	for _, p := range open {
		row := p.row()
		p.acc = nil
		if err := w.emit(row); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Close emits every open window; the Windower accepts no more events.
func (w *Windower) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.closeAll()
	w.procs = nil
	return err
}

// row computes the features of p's open window.
func (p *procState) row() FeatureRow {
	a := p.acc
	r := FeatureRow{Program: p.program, PID: p.pid, Name: p.name, WindowStart: a.start, Miner: p.miner}
	v := &r.Values
	for f := range numSysFamilies {
		v[FeatSysFile+Feature(f)] = float64(a.sys[f])
	}
	if a.cpuN > 0 {
		v[FeatCPUMean] = a.cpuMean
		v[FeatCPUMax] = a.cpuMax
		v[FeatCPUStd] = math.Sqrt(max(a.cpuM2, 0) / float64(a.cpuN))
	}
	if a.memN > 0 {
		v[FeatMemMean] = a.memSum / float64(a.memN)
		v[FeatMemMax] = a.memMax
	}
	v[FeatConns] = float64(a.conns)
	v[FeatDistinctIPs] = float64(a.ips.len())
	v[FeatDistinctPorts] = float64(a.ports.len())
	v[FeatBytesIn] = float64(a.bytesIn)
	v[FeatBytesOut] = float64(a.bytesOut)
	if a.records > 0 {
		v[FeatMiningPortShare] = float64(a.mining) / float64(a.records)
	}
	v[FeatDNSQueries] = float64(a.dns)
	v[FeatDNSPoolMatch] = b2f(a.poolMatch)
	v[FeatFilesOpened] = float64(a.files)
	v[FeatDistinctDirs] = float64(a.dirs.len())
	v[FeatLibsLoaded] = float64(a.libs.len())
	v[FeatCryptoLib] = b2f(p.crypto)
	return r
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Windows computes the window features of events, which need not be in
// time order (a sorted copy is aggregated; events is not modified). Rows
// are sorted by window start, then PID. It panics if cfg does not
// validate or an event does not (a start without a name, a conn without
// an address: what EventWriter.Write rejects).
func Windows(events []Event, cfg WindowConfig) []FeatureRow {
	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(a, b Event) int { return cmp.Compare(a.Time, b.Time) })
	var rows []FeatureRow
	w, err := NewWindower(cfg, func(r FeatureRow) error { rows = append(rows, r); return nil })
	if err != nil {
		panic(err)
	}
	for _, e := range sorted {
		if err := w.Add(e); err != nil {
			panic(err)
		}
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	slices.SortStableFunc(rows, func(a, b FeatureRow) int {
		return cmp.Or(cmp.Compare(a.WindowStart, b.WindowStart), cmp.Compare(a.PID, b.PID))
	})
	return rows
}
