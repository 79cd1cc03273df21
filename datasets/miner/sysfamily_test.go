package miner

import (
	"strings"
	"testing"
	"time"
)

func TestFamilyOfSyscall(t *testing.T) {
	for name, want := range map[string]SyscallFamily{
		"openat": SysFile, "read": SysFile, "getdents64": SysFile,
		"connect": SysNetwork, "sendto": SysNetwork, "accept4": SysNetwork,
		"clone3": SysProcess, "execve": SysProcess, "sched_yield": SysProcess,
		"mmap": SysMemory, "madvise": SysMemory,
		"futex": SysIPC, "epoll_wait": SysIPC, "rt_sigaction": SysIPC,
		"clock_gettime": SysTime, "nanosleep": SysTime,
		"getrandom": SysOther, "uname": SysOther, "no_such_call": SysOther,
	} {
		if got := FamilyOfSyscall(name); got != want {
			t.Errorf("FamilyOfSyscall(%q) = %v, want %v", name, got, want)
		}
	}
	if len(SyscallsOf(SysOther)) != 0 || len(SyscallsOf(SysFile)) < 50 {
		t.Error("SyscallsOf sizes")
	}
}

// TestGeneratorSyscallsInTable checks that the syscalls the generator
// names are in the table unless meant as "other".
func TestGeneratorSyscallsInTable(t *testing.T) {
	other := map[string]bool{"getrandom": true, "fadvise64": true}
	d := mustGenerate(t, Config{Programs: 60, MinerFraction: 0.1, Duration: 10 * time.Minute, SampleInterval: time.Minute}, seeded(2, 2))
	seen := map[string]bool{}
	for e := range d.Events() {
		if e.Kind == KindSyscall && !seen[e.Syscall] {
			seen[e.Syscall] = true
			if (FamilyOfSyscall(e.Syscall) == SysOther) != other[e.Syscall] {
				t.Errorf("generated syscall %q is in family %v", e.Syscall, FamilyOfSyscall(e.Syscall))
			}
		}
	}
}

func TestIsSharedLibrary(t *testing.T) {
	for path, want := range map[string]bool{
		"/usr/lib/x86_64-linux-gnu/libcrypto.so.3": true, "libapt-pkg.so.6.0": true, "/lib/libuv.so": true,
		"/usr/lib/firefox/libxul.so": true, "/etc/ld.so.cache": false, "/x/libfoo.so.": false, "/x/a.sox": false,
		"/x/.so": false, "/x/libfoo.so.1a": false, "/var/www/a.html": false,
	} {
		if got := IsSharedLibrary(path); got != want {
			t.Errorf("IsSharedLibrary(%q) = %v", path, got)
		}
	}
}

func TestFeatureNames(t *testing.T) {
	names := FeatureNames()
	if len(names) != int(NumFeatures) || names[FeatCPUMean] != "cpu_mean" || names[FeatCryptoLib] != "crypto_lib" {
		t.Fatalf("names %v", names)
	}
	seen := map[string]bool{}
	for i, n := range names {
		if n == "" || seen[n] || Feature(i).String() != n || strings.ContainsAny(n, ", ") {
			t.Fatalf("feature %d name %q", i, n)
		}
		seen[n] = true
	}
	for f := SysFile; f < numSysFamilies; f++ {
		if names[FeatSysFile+Feature(f)] != "sys_"+f.String() {
			t.Errorf("syscall family %v feature named %s", f, names[FeatSysFile+Feature(f)])
		}
	}
}
