package miner

import (
	"math"
	"strings"
	"testing"
	"time"
)

// t0 is a Unix time in ns on a minute boundary.
const t0 = int64(1_700_000_040) * int64(time.Second)

func sec(s float64) int64 { return t0 + int64(s*float64(time.Second)) }

// tinyStream is two processes over four one-minute windows; the expected
// features are worked out by hand in TestWindowsHandComputed.
func tinyStream() []Event {
	return []Event{
		{Time: sec(0), PID: 10, Kind: KindStart, Name: "nginx", Program: "web"},
		{Time: sec(1), PID: 10, Kind: KindOpen, Path: "/usr/lib/libcrypto.so.3", FileType: FileSharedLib},
		{Time: sec(1), PID: 10, Kind: KindOpen, Path: "/usr/lib/libz.so.1", FileType: FileSharedLib},
		{Time: sec(2), PID: 10, Kind: KindOpen, Path: "/var/www/a.html"},
		{Time: sec(3), PID: 10, Kind: KindOpen, Path: "/var/www/b.html"},
		{Time: sec(4), PID: 10, Kind: KindOpen, Path: "/etc/nginx/", FileType: FileDir},
		{Time: sec(5), PID: 10, Kind: KindOpen, Path: "/etc/nginx/nginx.conf"},
		{Time: sec(10), PID: 10, Kind: KindSyscall, Syscall: "read", Count: 5},
		{Time: sec(10), PID: 10, Kind: KindSyscall, Syscall: "openat", Count: 2},
		{Time: sec(10), PID: 10, Kind: KindSyscall, Syscall: "futex", Count: 3},
		{Time: sec(10), PID: 10, Kind: KindSyscall, Syscall: "mmap", Count: 1},
		{Time: sec(10), PID: 10, Kind: KindSyscall, Syscall: "clock_gettime", Count: 4},
		{Time: sec(10), PID: 10, Kind: KindSyscall, Syscall: "uname", Count: 1},
		{Time: sec(10), PID: 10, Kind: KindSyscall, Syscall: "socket", Count: 1},
		{Time: sec(10), PID: 10, Kind: KindSyscall, Syscall: "clone", Count: 6},
		{Time: sec(10), PID: 10, Kind: KindCPU, Value: 10},
		{Time: sec(10), PID: 10, Kind: KindMemory, Value: 100},
		{Time: sec(15), PID: 10, Kind: KindConn, RemoteIP: ip("198.18.0.1"), RemotePort: 50000, LocalPort: 443, Proto: "tcp", Inbound: true, BytesOut: 1000, BytesIn: 200},
		{Time: sec(16), PID: 10, Kind: KindConn, RemoteIP: ip("203.0.113.5"), RemotePort: 3333, LocalPort: 41000, Proto: "tcp", BytesOut: 100, BytesIn: 50},
		{Time: sec(17), PID: 10, Kind: KindConn, RemoteIP: ip("203.0.113.5"), RemotePort: 3333, LocalPort: 41000, Proto: "tcp", BytesOut: 10, BytesIn: 20, Continued: true},
		{Time: sec(18), PID: 10, Kind: KindConn, RemoteIP: ip("198.18.0.1"), RemotePort: 443, LocalPort: 42000, Proto: "udp", BytesOut: 5, BytesIn: 7},
		{Time: sec(20), PID: 10, Kind: KindCPU, Value: 20},
		{Time: sec(20), PID: 10, Kind: KindDNS, Query: "www.example.com"},
		{Time: sec(21), PID: 10, Kind: KindDNS, Query: "XMR-EU1.nanopool.org."},
		{Time: sec(30), PID: 20, Kind: KindStart, Name: "kworker", Program: "xmrig", Miner: true},
		{Time: sec(30), PID: 10, Kind: KindCPU, Value: 60},
		{Time: sec(40), PID: 10, Kind: KindMemory, Value: 200},
		{Time: sec(40), PID: 20, Kind: KindCPU, Value: 100},
		{Time: sec(59.999), PID: 20, Kind: KindCPU, Value: 98},
		// Window 1 (60s to 120s).
		{Time: sec(60), PID: 10, Kind: KindCPU, Value: 50},
		{Time: sec(75), PID: 10, Kind: KindOpen, Path: "/tmp/x"},
		{Time: sec(90), PID: 10, Kind: KindExit},
		{Time: sec(100), PID: 20, Kind: KindCPU, Value: 100},
		// Nothing in window 2; window 3.
		{Time: sec(200), PID: 20, Kind: KindCPU, Value: 90},
		{Time: sec(201), PID: 20, Kind: KindConn, RemoteIP: ip("203.0.113.5"), RemotePort: 443, LocalPort: 41000, Proto: "tcp", BytesOut: 3, BytesIn: 4, Continued: true},
	}
}

func TestWindowsHandComputed(t *testing.T) {
	rows := Windows(tinyStream(), WindowConfig{Length: time.Minute})
	type key struct {
		start int64
		pid   int
	}
	w := func(k int64) int64 { return t0 + k*int64(time.Minute) }
	wantKeys := []key{{w(0), 10}, {w(0), 20}, {w(1), 10}, {w(1), 20}, {w(3), 20}}
	if len(rows) != len(wantKeys) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(wantKeys), rows)
	}
	for i, k := range wantKeys {
		if rows[i].WindowStart != k.start || rows[i].PID != k.pid {
			t.Fatalf("row %d: window %d pid %d, want %d %d", i, rows[i].WindowStart, rows[i].PID, k.start, k.pid)
		}
	}

	var want [5][NumFeatures]float64
	// pid 10, window 0.
	v := &want[0]
	v[FeatSysFile] = 5 + 2                // read, openat
	v[FeatSysNetwork] = 1                 // socket
	v[FeatSysProcess] = 6                 // clone
	v[FeatSysMemory] = 1                  // mmap
	v[FeatSysIPC] = 3                     // futex
	v[FeatSysTime] = 4                    // clock_gettime
	v[FeatSysOther] = 1                   // uname
	v[FeatCPUMean] = 30                   // (10+20+60)/3
	v[FeatCPUMax] = 60                    //
	v[FeatCPUStd] = math.Sqrt(1400.0 / 3) // deviations -20, -10, 30
	v[FeatMemMean] = 150
	v[FeatMemMax] = 200
	v[FeatConns] = 3         // the continued record is not a new connection
	v[FeatDistinctIPs] = 2   // 198.18.0.1, 203.0.113.5
	v[FeatDistinctPorts] = 3 // 50000, 3333, 443
	v[FeatBytesIn] = 200 + 50 + 20 + 7
	v[FeatBytesOut] = 1000 + 100 + 10 + 5
	v[FeatMiningPortShare] = 0.5 // 2 of 4 records outbound to 3333
	v[FeatDNSQueries] = 2
	v[FeatDNSPoolMatch] = 1 // case and trailing dot ignored
	v[FeatFilesOpened] = 3  // a.html, b.html, nginx.conf
	v[FeatDistinctDirs] = 2 // /var/www, /etc/nginx
	v[FeatLibsLoaded] = 2
	v[FeatCryptoLib] = 1
	// pid 20, window 0: two CPU samples.
	v = &want[1]
	v[FeatCPUMean], v[FeatCPUMax], v[FeatCPUStd] = 99, 100, 1
	// pid 10, window 1: crypto_lib stays set.
	v = &want[2]
	v[FeatCPUMean], v[FeatCPUMax] = 50, 50
	v[FeatFilesOpened], v[FeatDistinctDirs], v[FeatCryptoLib] = 1, 1, 1
	// pid 20, window 1.
	v = &want[3]
	v[FeatCPUMean], v[FeatCPUMax] = 100, 100
	// pid 20, window 3: port 443 is not a mining port.
	v = &want[4]
	v[FeatCPUMean], v[FeatCPUMax] = 90, 90
	v[FeatDistinctIPs], v[FeatDistinctPorts], v[FeatBytesIn], v[FeatBytesOut] = 1, 1, 4, 3

	for i, r := range rows {
		for f := range NumFeatures {
			if math.Abs(r.Values[f]-want[i][f]) > 1e-9 {
				t.Errorf("row %d (pid %d): %s = %v, want %v", i, r.PID, f, r.Values[f], want[i][f])
			}
		}
	}
	if r := rows[0]; r.Program != "web" || r.Name != "nginx" || r.Miner {
		t.Errorf("row 0 identifiers %+v", r)
	}
	if r := rows[1]; r.Program != "xmrig" || r.Name != "kworker" || !r.Miner {
		t.Errorf("row 1 identifiers %+v", r)
	}
}

func TestWindowsConfigLists(t *testing.T) {
	// Empty lists switch the port, pool and crypto features off.
	rows := Windows(tinyStream(), WindowConfig{Length: time.Minute, MiningPorts: []uint16{}, PoolPatterns: []string{}, CryptoLibs: []string{}})
	r := rows[0]
	if r.Values[FeatMiningPortShare] != 0 || r.Values[FeatDNSPoolMatch] != 0 || r.Values[FeatCryptoLib] != 0 {
		t.Errorf("features with empty lists: %v", r.Values)
	}
	// Custom lists.
	rows = Windows(tinyStream(), WindowConfig{Length: time.Minute, MiningPorts: []uint16{443}, PoolPatterns: []string{"www.*"}, CryptoLibs: []string{"libz"}})
	r = rows[0]
	if r.Values[FeatMiningPortShare] != 0.25 || r.Values[FeatDNSPoolMatch] != 1 || r.Values[FeatCryptoLib] != 1 {
		t.Errorf("features with custom lists: %v", r.Values)
	}
	// One window covering everything.
	rows = Windows(tinyStream(), WindowConfig{Length: time.Hour})
	if len(rows) != 2 {
		t.Fatalf("%d rows with one-hour windows, want 2", len(rows))
	}
	if got := rows[1].Values[FeatCPUMean]; math.Abs(got-97) > 1e-9 { // (100+98+100+90)/4
		t.Errorf("pid 20 cpu mean %v, want 97", got)
	}
}

func TestWindowsUnorderedInput(t *testing.T) {
	evs := tinyStream()
	rev := make([]Event, len(evs))
	for i, e := range evs {
		rev[len(evs)-1-i] = e
	}
	a, b := Windows(evs, WindowConfig{Length: time.Minute}), Windows(rev, WindowConfig{Length: time.Minute})
	if len(a) != len(b) {
		t.Fatalf("%d and %d rows", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d differs: %+v and %+v", i, a[i], b[i])
		}
	}
	if rev[0].Kind != KindConn {
		t.Fatal("Windows modified its input")
	}
}

func TestWindowerErrors(t *testing.T) {
	var rows []FeatureRow
	w, err := NewWindower(WindowConfig{Length: time.Minute}, func(r FeatureRow) error { rows = append(rows, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	must := func(e Event) {
		t.Helper()
		if err := w.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	must(Event{Time: sec(61), PID: 1, Kind: KindCPU, Value: 5})
	must(Event{Time: sec(60), PID: 1, Kind: KindCPU, Value: 7}) // same window: accepted
	err = w.Add(Event{Time: sec(59), PID: 1, Kind: KindCPU, Value: 5})
	if err == nil || !strings.Contains(err.Error(), "out of time order") {
		t.Fatalf("out-of-order event: %v", err)
	}
	if err := w.Add(Event{Time: sec(62), PID: 1, Kind: KindConn}); err == nil {
		t.Fatal("invalid event accepted")
	}
	// A pid without a start event, then pid reuse in the same window.
	must(Event{Time: sec(62), PID: 1, Kind: KindStart, Name: "a"})
	must(Event{Time: sec(63), PID: 1, Kind: KindCPU, Value: 1})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Program != "" || rows[0].Values[FeatCPUMean] != 6 || rows[1].Program != "a" || rows[1].Values[FeatCPUMean] != 1 {
		t.Fatalf("rows %+v", rows)
	}
	if err := w.Add(Event{Time: sec(64), PID: 1, Kind: KindCPU}); err == nil {
		t.Fatal("Add after Close accepted")
	}
	for _, c := range []WindowConfig{{Length: -1}, {MaxDistinct: -1}, {PoolPatterns: []string{"["}}} {
		if _, err := NewWindower(c, nil); err == nil {
			t.Errorf("NewWindower(%+v) succeeded", c)
		}
	}
}

// TestWindowerMemoryBounded checks the structure that bounds memory: one
// open window per live process, closed when time moves to a later window,
// and distinct sets that stop growing at MaxDistinct.
func TestWindowerMemoryBounded(t *testing.T) {
	const limit = 8
	w, err := NewWindower(WindowConfig{Length: time.Minute, MaxDistinct: limit}, func(FeatureRow) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for pid := 1; pid <= 50; pid++ {
		if err := w.Add(Event{Time: sec(1), PID: pid, Kind: KindStart, Name: "p"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 1000 {
		for _, e := range []Event{
			{PID: 1, Kind: KindConn, RemoteIP: addrIn(seeded(uint64(i), 0), netInternet), RemotePort: uint16(i), Proto: "tcp"},
			{PID: 1, Kind: KindOpen, Path: "/d" + string(rune('a'+i%26)) + "/" + strings.Repeat("x", i%40+1) + "/f"},
			{PID: 1, Kind: KindOpen, Path: "/lib/lib" + strings.Repeat("y", i+1) + ".so", FileType: FileSharedLib},
			{PID: 1, Kind: KindSyscall, Syscall: "read", Count: 1},
		} {
			e.Time = sec(2)
			if err := w.Add(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	if w.OpenWindows() != 50 || w.LiveProcesses() != 50 {
		t.Fatalf("%d open windows, %d live processes, want 50 and 50", w.OpenWindows(), w.LiveProcesses())
	}
	a := w.procs[1].acc
	if a.ips.len() > limit || a.ports.len() > limit || a.dirs.len() > limit || a.libs.len() > limit {
		t.Fatalf("distinct sets grew past %d: %d %d %d %d", limit, a.ips.len(), a.ports.len(), a.dirs.len(), a.libs.len())
	}
	var row FeatureRow
	w.emit = func(r FeatureRow) error {
		if r.PID == 1 {
			row = r
		}
		return nil
	}
	// An event in the next window closes every open window.
	if err := w.Add(Event{Time: sec(61), PID: 2, Kind: KindCPU, Value: 1}); err != nil {
		t.Fatal(err)
	}
	if w.OpenWindows() != 1 {
		t.Fatalf("%d open windows after the boundary, want 1", w.OpenWindows())
	}
	if row.Values[FeatDistinctIPs] != limit || row.Values[FeatDistinctDirs] != limit || row.Values[FeatLibsLoaded] != limit ||
		row.Values[FeatSysFile] != 1000 || row.Values[FeatConns] != 1000 {
		t.Fatalf("saturated row %v", row.Values)
	}
	if err := w.Add(Event{Time: sec(62), PID: 2, Kind: KindExit}); err != nil {
		t.Fatal(err)
	}
	if w.OpenWindows() != 0 || w.LiveProcesses() != 49 {
		t.Fatalf("after exit: %d open windows, %d live processes", w.OpenWindows(), w.LiveProcesses())
	}
}

// TestWindowerBoundedOnGeneratedStream checks, on a generated stream,
// that open windows never exceed live processes and that all open
// windows belong to the current window.
func TestWindowerBoundedOnGeneratedStream(t *testing.T) {
	d := mustGenerate(t, Config{Programs: 25, MinerFraction: 0.1, Duration: 30 * time.Minute, SampleInterval: 30 * time.Second}, seeded(9, 9))
	w, err := NewWindower(WindowConfig{Length: 5 * time.Minute}, func(FeatureRow) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	maxOpen := 0
	for e := range d.Events() {
		if err := w.Add(e); err != nil {
			t.Fatal(err)
		}
		if w.OpenWindows() > w.LiveProcesses() {
			t.Fatalf("%d open windows for %d live processes", w.OpenWindows(), w.LiveProcesses())
		}
		for _, p := range w.open {
			if p.acc.start != w.cur*w.length {
				t.Fatalf("open window at %d while the current one starts at %d", p.acc.start, w.cur*w.length)
			}
		}
		maxOpen = max(maxOpen, w.OpenWindows())
	}
	if maxOpen == 0 || maxOpen > len(d.Processes) {
		t.Fatalf("max open windows %d of %d processes", maxOpen, len(d.Processes))
	}
}
