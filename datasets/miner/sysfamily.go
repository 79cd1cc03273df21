package miner

import "fmt"

// SyscallFamily groups syscalls by what they act on. Features count the
// calls of each family per window.
type SyscallFamily uint8

// Syscall families, in feature order.
const (
	SysFile    SyscallFamily = iota // files and descriptors: open, read, write, stat...
	SysNetwork                      // sockets: socket, connect, sendto...
	SysProcess                      // processes, threads, credentials, scheduling
	SysMemory                       // address space: mmap, brk, madvise...
	SysIPC                          // synchronisation, signals, pipes, event waiting
	SysTime                         // clocks, timers, sleeping
	SysOther                        // everything else, including names not in the table
	numSysFamilies
)

var sysFamilyNames = [...]string{"file", "network", "process", "memory", "ipc", "time", "other"}

func (f SyscallFamily) String() string {
	if f < numSysFamilies {
		return sysFamilyNames[f]
	}
	return fmt.Sprintf("SyscallFamily(%d)", uint8(f))
}

// syscallTable lists the syscalls of each family but SysOther. read and
// write count as file calls even on sockets, as a tracer that sees only
// the name would count them; epoll, poll and select are IPC (waiting on
// events), as are signals and futexes.
var syscallTable = map[SyscallFamily][]string{
	SysFile: {
		"open", "openat", "openat2", "creat", "close", "close_range", "read", "write",
		"pread64", "pwrite64", "readv", "writev", "preadv", "pwritev", "lseek",
		"stat", "fstat", "lstat", "newfstatat", "statx", "statfs", "fstatfs",
		"access", "faccessat", "faccessat2", "getdents", "getdents64",
		"readlink", "readlinkat", "unlink", "unlinkat", "rename", "renameat", "renameat2",
		"mkdir", "mkdirat", "rmdir", "link", "linkat", "symlink", "symlinkat",
		"chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown", "fchownat",
		"truncate", "ftruncate", "fsync", "fdatasync", "sync", "syncfs", "fallocate",
		"fcntl", "ioctl", "flock", "dup", "dup2", "dup3", "sendfile", "splice",
		"copy_file_range", "chdir", "fchdir", "getcwd", "utimensat",
		"inotify_init1", "inotify_add_watch", "fanotify_mark", "getxattr", "setxattr",
	},
	SysNetwork: {
		"socket", "connect", "accept", "accept4", "bind", "listen", "shutdown",
		"sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
		"getsockopt", "setsockopt", "getsockname", "getpeername",
	},
	SysProcess: {
		"clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group",
		"wait4", "waitid", "kill", "tkill", "tgkill", "getpid", "gettid", "getppid",
		"getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "setresuid", "setresgid",
		"setsid", "setpgid", "getpgid", "prctl", "arch_prctl", "set_tid_address",
		"set_robust_list", "capget", "capset", "sched_yield", "sched_setaffinity",
		"sched_getaffinity", "sched_setscheduler", "sched_getparam", "setpriority",
		"getpriority", "getrlimit", "setrlimit", "prlimit64", "getrusage", "unshare", "setns",
		"seccomp", "ptrace",
	},
	SysMemory: {
		"mmap", "munmap", "mprotect", "brk", "mremap", "madvise", "mlock", "mlock2",
		"munlock", "mlockall", "munlockall", "mincore", "msync", "membarrier",
		"memfd_create", "set_mempolicy", "get_mempolicy", "mbind", "move_pages",
	},
	SysIPC: {
		"futex", "futex_waitv", "pipe", "pipe2", "eventfd", "eventfd2", "socketpair",
		"epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2",
		"poll", "ppoll", "select", "pselect6", "rt_sigaction", "rt_sigprocmask",
		"rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "sigaltstack", "signalfd4",
		"shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semctl",
		"msgget", "msgsnd", "msgrcv", "mq_open", "mq_timedsend", "mq_timedreceive",
	},
	SysTime: {
		"clock_gettime", "clock_getres", "clock_nanosleep", "gettimeofday", "time",
		"nanosleep", "alarm", "setitimer", "getitimer", "times", "timer_create",
		"timer_settime", "timer_delete", "timerfd_create", "timerfd_settime", "timerfd_gettime",
		"adjtimex", "clock_adjtime",
	},
}

// syscallFamilies is syscallTable inverted.
var syscallFamilies = func() map[string]SyscallFamily {
	m := map[string]SyscallFamily{}
	for fam, names := range syscallTable {
		for _, n := range names {
			if _, dup := m[n]; dup {
				panic("miner: syscall " + n + " in two families")
			}
			m[n] = fam
		}
	}
	return m
}()

// FamilyOfSyscall returns the family of the named syscall; a name not in
// the table is SysOther.
func FamilyOfSyscall(name string) SyscallFamily {
	if f, ok := syscallFamilies[name]; ok {
		return f
	}
	return SysOther
}

// SyscallsOf returns the syscalls listed in family f, a copy of the
// table; it is empty for SysOther, which holds every other name.
func SyscallsOf(f SyscallFamily) []string {
	return append([]string(nil), syscallTable[f]...)
}
