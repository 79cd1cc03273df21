package syscalls

import (
	"slices"
	"strings"
)

// x86Numbers are the x86 32-bit syscall numbers (the numbering of ADFA-LD)
// of the calls the synthetic programs make.
var x86Numbers = map[string]int32{
	"read": 3, "write": 4, "open": 5, "close": 6, "execve": 11, "time": 13,
	"chmod": 15, "getpid": 20, "access": 33, "dup2": 63, "pipe": 42, "brk": 45,
	"gettimeofday": 78, "munmap": 91, "fchmod": 94, "socketcall": 102,
	"fsync": 118, "wait4": 114, "clone": 120, "uname": 122, "mprotect": 125,
	"_llseek": 140, "nanosleep": 162, "poll": 168, "rt_sigaction": 174,
	"rt_sigprocmask": 175, "pread64": 180, "pwrite64": 181, "getcwd": 183,
	"mmap2": 192, "stat64": 195, "lstat64": 196, "fstat64": 197,
	"getuid32": 199, "setuid32": 213, "setgid32": 214, "getdents64": 220,
	"fcntl64": 221, "futex": 240, "set_thread_area": 243, "exit_group": 252,
	"epoll_wait": 256, "clock_gettime": 265, "openat": 295, "select": 142,
	"writev": 146,
}

// step is one call of a routine: repeated (1 + geometric) when loop, left
// out with probability 1/2 when opt.
type step struct {
	name      string
	num       int32
	loop, opt bool
}

// routine is a weighted unit of program behaviour.
type routine struct {
	steps  []step
	weight float64
}

// program is a probabilistic grammar of syscalls: a start-up routine, then
// routines drawn by weight, repeating the previous one with probability
// stay.
type program struct {
	name     string
	uid      uint32
	start    []step
	routines []routine
	stay     float64
	gapNs    float64 // mean pause between routines
}

// parseSteps reads a routine written as "open read* fstat64? close".
func parseSteps(spec string) []step {
	var out []step
	for _, tok := range strings.Fields(spec) {
		s := step{}
		s.loop = strings.HasSuffix(tok, "*")
		s.opt = strings.HasSuffix(tok, "?")
		s.name = strings.TrimRight(tok, "*?")
		s.num = -1
		if num, ok := x86Numbers[s.name]; ok {
			s.num = num
		}
		out = append(out, s)
	}
	return out
}

// loader is the start-up of a dynamically linked program.
const loader = "execve brk uname? access open fstat64 mmap2 close open read fstat64 mmap2* mprotect close set_thread_area"

// programSpecs are the synthetic programs: name, uid, mean pause between
// routines (µs), probability of repeating a routine, and weighted routines.
var programSpecs = []struct {
	name   string
	uid    uint32
	gapUs  float64
	stay   float64
	routes map[string]float64
}{
	{"httpd", 33, 800, 0.2, map[string]float64{
		"poll socketcall fcntl64 read stat64 open fstat64 mmap2? read* munmap? close writev close": 6,
		"poll read write*":           3,
		"gettimeofday write":         1,
		"epoll_wait futex?":          2,
		"stat64 open read* close":    1.5,
		"socketcall read write poll": 1,
	}},
	{"bash", 0, 3000, 0.3, map[string]float64{
		"read write": 4,
		"rt_sigprocmask clone wait4 rt_sigaction":     2,
		"stat64 access getcwd? write":                 3,
		"execve brk access open fstat64 mmap2* close": 0.5,
		"open read* close":                            1,
	}},
	{"crond", 0, 5000, 0.4, map[string]float64{
		"time stat64 open fstat64 read* close": 2,
		"nanosleep":                            4,
		"gettimeofday clock_gettime":           2,
		"getpid time":                          1,
	}},
	{"tar", 0, 300, 0.5, map[string]float64{
		"openat getdents64* close":                2,
		"lstat64 open fstat64 read* write* close": 4,
		"lstat64*":            2,
		"brk mmap2? munmap?":  0.5,
		"clock_gettime write": 0.5,
	}},
	{"mysqld", 27, 1500, 0.3, map[string]float64{
		"futex*":                              3,
		"select":                              2,
		"pread64* pwrite64? fsync?":           2,
		"clock_gettime futex poll read write": 2,
		"socketcall read* write* close":       1,
	}},
}

// attackSpecs are the planted attack sequences per family, in name order.
// Each holds a call no normal program makes.
var attackSpecs = []struct{ family, seq string }{
	{"Adduser", "open _llseek write close chmod"},
	{"Download_Exec", "socketcall read read open write close fchmod execve"},
	{"Privilege_Escalation", "getuid32 setuid32 setgid32 execve"},
	{"Reverse_Shell", "socketcall dup2 dup2 dup2 execve"},
	{"Webshell", "pipe clone execve dup2 read write wait4"},
}

// SyntheticFamilies returns the attack families of Synthetic.
func SyntheticFamilies() []string {
	out := make([]string, len(attackSpecs))
	for i, a := range attackSpecs {
		out[i] = a.family
	}
	return out
}

// SyntheticPattern returns the syscall names Synthetic plants for family,
// nil for an unknown family.
func SyntheticPattern(family string) []string {
	for _, a := range attackSpecs {
		if a.family == family {
			return strings.Fields(a.seq)
		}
	}
	return nil
}

// SyntheticPrograms returns the process names of the synthetic programs.
func SyntheticPrograms() []string {
	out := make([]string, len(programSpecs))
	for i, p := range programSpecs {
		out[i] = p.name
	}
	return out
}

// buildPrograms turns programSpecs into programs with routines in a fixed
// order (by specification text), so that generation is deterministic.
func buildPrograms() []*program {
	out := make([]*program, len(programSpecs))
	for i, ps := range programSpecs {
		p := &program{name: ps.name, uid: ps.uid, start: parseSteps(loader), stay: ps.stay, gapNs: ps.gapUs * 1000}
		keys := make([]string, 0, len(ps.routes))
		for k := range ps.routes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p.routines = append(p.routines, routine{steps: parseSteps(k), weight: ps.routes[k]})
		}
		out[i] = p
	}
	return out
}
