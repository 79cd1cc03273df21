package miner

import (
	"fmt"
	"net/netip"
	"strings"
)

// Kind is the kind of an Event.
type Kind uint8

// Kinds of events. The strings are the "k" values of the JSON-lines format.
const (
	KindStart   Kind = iota + 1 // "start": a process starts
	KindSyscall                 // "sys": N calls of one syscall
	KindCPU                     // "cpu": a CPU sample
	KindMemory                  // "mem": a memory sample
	KindConn                    // "conn": a network connection record
	KindDNS                     // "dns": a DNS query
	KindOpen                    // "open": a file, directory or shared library is opened
	KindExit                    // "exit": the process exits
)

var kindNames = [...]string{
	KindStart:   "start",
	KindSyscall: "sys",
	KindCPU:     "cpu",
	KindMemory:  "mem",
	KindConn:    "conn",
	KindDNS:     "dns",
	KindOpen:    "open",
	KindExit:    "exit",
}

func (k Kind) String() string {
	if k >= KindStart && k <= KindExit {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// parseKind returns the Kind named s, or 0.
func parseKind(s string) Kind {
	for k := KindStart; k <= KindExit; k++ {
		if kindNames[k] == s {
			return k
		}
	}
	return 0
}

// FileType says what an open event opened.
type FileType uint8

// File types of an open event; the strings are the "ft" values of the
// JSON-lines format ("file" is the default and is omitted).
const (
	FileRegular   FileType = iota // "file": a regular file (or device, pipe...)
	FileDir                       // "dir": a directory
	FileSharedLib                 // "lib": a shared library (.so) mapped by the loader
)

func (f FileType) String() string {
	switch f {
	case FileRegular:
		return "file"
	case FileDir:
		return "dir"
	case FileSharedLib:
		return "lib"
	}
	return fmt.Sprintf("FileType(%d)", uint8(f))
}

// IsSharedLibrary reports whether the base name of path looks like a shared
// library: it ends in ".so", or in ".so" and a version of dot-separated
// numbers ("libcrypto.so.3", "libapt-pkg.so.6.0"). "ld.so.cache" is not.
func IsSharedLibrary(path string) bool {
	base := path[strings.LastIndexByte(path, '/')+1:]
	i := strings.LastIndex(base, ".so")
	if i <= 0 {
		return false
	}
	for _, part := range strings.Split(base[i+3:], ".")[1:] {
		if part == "" || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return i+3 == len(base) || base[i+3] == '.'
}

// Event is one observation of one process. Time and PID are always set;
// which other fields are meaningful depends on Kind, as noted per field.
// Program and Miner are ground truth carried by the start event of a
// labelled stream, not observations a detector may use.
type Event struct {
	Time int64 // ns since the Unix epoch
	PID  int   // process id; unique among the processes alive at Time
	Kind Kind

	// KindStart.
	Name      string // observed process name (comm); may be a disguise
	Binary    string // path of the executable
	PPID      int    // parent process id
	Container string // container id, "" outside containers
	Program   string // ground truth: the program (group) the process runs; Name when empty
	Miner     bool   // ground truth: the program is a crypto-miner

	// KindSyscall.
	Syscall string // syscall name, as in Linux ("openat", "futex")
	Count   int    // calls of Syscall since the previous sample; 1 when 0 on reading

	// KindCPU: percent of one core, averaged over the sample's interval
	// (200 is two cores fully busy). KindMemory: resident set size in MB.
	Value float64

	// KindConn. A record reports the bytes sent and received on one
	// connection since the previous record of it (or since it opened);
	// Continued marks a record of an already reported connection.
	RemoteIP   netip.Addr
	RemotePort uint16
	LocalPort  uint16
	Proto      string // "tcp" or "udp"; "" means "tcp" and reads back as "tcp"
	Inbound    bool   // accepted by this process rather than initiated
	BytesOut   int64  // sent by this process
	BytesIn    int64  // received by this process
	Continued  bool

	// KindDNS.
	Query string // queried name, without a trailing dot

	// KindOpen.
	Path     string
	FileType FileType

	// KindExit.
	ExitCode int
}

// validate checks the fields Kind requires.
func (e *Event) validate() error {
	if e.PID < 0 {
		return fmt.Errorf("negative pid %d", e.PID)
	}
	switch e.Kind {
	case KindStart:
		if e.Name == "" {
			return fmt.Errorf("start event without a name")
		}
	case KindSyscall:
		if e.Syscall == "" {
			return fmt.Errorf("sys event without a syscall name")
		}
		if e.Count < 0 {
			return fmt.Errorf("sys event with count %d", e.Count)
		}
	case KindCPU, KindMemory:
		if !(e.Value >= 0) {
			return fmt.Errorf("%s event with value %v", e.Kind, e.Value)
		}
	case KindConn:
		if !e.RemoteIP.IsValid() {
			return fmt.Errorf("conn event without a remote ip")
		}
		if e.Proto != "" && e.Proto != "tcp" && e.Proto != "udp" {
			return fmt.Errorf("conn event with protocol %q, want tcp or udp", e.Proto)
		}
		if e.BytesIn < 0 || e.BytesOut < 0 {
			return fmt.Errorf("conn event with negative bytes (out %d, in %d)", e.BytesOut, e.BytesIn)
		}
	case KindDNS:
		if e.Query == "" {
			return fmt.Errorf("dns event without a query")
		}
	case KindOpen:
		if e.Path == "" {
			return fmt.Errorf("open event without a path")
		}
		if e.FileType > FileSharedLib {
			return fmt.Errorf("open event with %v", e.FileType)
		}
	case KindExit:
	default:
		return fmt.Errorf("unknown event kind %v", e.Kind)
	}
	return nil
}
