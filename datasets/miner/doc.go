// Package miner generates, reads and writes labelled per-process event
// streams for supervised crypto-miner detection, and turns them into
// per-process window features, in the manner of Sysdig's published
// approach: features of process behaviour over time windows, with each
// program a group so that no program has rows in two cross-validation
// folds (see GroupFolds).
//
// # Events
//
// An Event is one observation of one process: its start (name, binary,
// parent, optional container id), N calls of a syscall since the last
// sample, a CPU sample (percent of one core averaged over the sample
// interval, so 400 is four busy cores), a memory sample (RSS in MB), a
// network connection record (remote address and port, local port,
// protocol, direction, bytes sent and received since the previous record
// of the connection; Continued marks a further record of an open
// connection), a DNS query, an open (a regular file, a directory or a
// shared library) and its exit. The start event of a labelled stream
// also carries ground truth: the program (group) and whether it is a
// miner.
//
// Streams are JSON lines, one event a line, written by EventWriter and
// read by ReadEvents or ReadEventsFile (streaming; a malformed line is a
// *ParseError naming the source and line). Every line has "t" (ns since
// the Unix epoch), "pid" and "k" (the kind); other keys depend on the
// kind, and unknown keys are errors:
//
//	start  name, exe, ppid, cid (container), prog (default: name), miner
//	sys    sc (syscall), n (count, default 1)
//	cpu    v (percent of one core)
//	mem    v (RSS, MB)
//	conn   ip, port (remote), lport, proto ("tcp" default or "udp"),
//	       dir ("out" default or "in"), tx, rx (bytes), cont (continued)
//	dns    q (queried name)
//	open   path, ft ("file" default, "dir" or "lib")
//	exit   code
//
// For example:
//
//	{"t":1709251200000000000,"pid":1042,"k":"start","name":"kworker","exe":"/dev/shm/.kthread","ppid":1,"prog":"p007-xmrig","miner":true}
//	{"t":1709251201403000000,"pid":1042,"k":"conn","ip":"203.0.113.40","port":443,"lport":51234,"tx":412,"rx":1034}
//
// # Generator
//
// Generate draws programs of legitimate families (web servers, databases,
// build jobs, video encoders, ML training, backups, shell scripts, cron
// jobs, browsers, package managers) and of miner families: xmrig-like CPU
// miners (about 100% per thread, stratum ports, pool DNS names, libuv,
// hwloc and libcrypto), stealthy miners (throttled to 30-60% per thread,
// port 443, disguised or random names, often static binaries, some
// scanning /proc) and miners in containers. Video encoders and ML
// training are the hard negatives: their CPU use is as high as a miner's.
// Each program runs several processes with varying rates, memory and
// thread counts; by default 3% of 200 programs are miners. Addresses are
// from reserved ranges (198.18.0.0/15, TEST-NETs, 10/8) and all names but
// the pool patterns' are under example, test or invalid domains. Events
// are generated lazily and are the same for the same seed.
//
// # Features
//
// Windows (on a slice) and Windower (on a stream, in memory bounded by
// one open window per live process) aggregate each process's events in
// windows aligned to the Unix epoch ([k*Length, (k+1)*Length), 10 minutes
// by default). A process has a row for every window holding at least one
// of its events. FeatureRow holds the program (group), PID, observed
// name, window start and label, and Values in this order:
//
//	 #  name                   definition (per process and window)
//	 0  sys_file               calls of file syscalls (sum of sys counts)
//	 1  sys_network            calls of network syscalls
//	 2  sys_process            calls of process syscalls
//	 3  sys_memory             calls of memory syscalls
//	 4  sys_ipc                calls of IPC syscalls
//	 5  sys_time               calls of time syscalls
//	 6  sys_other              calls of other syscalls
//	 7  cpu_mean               mean of the CPU samples (percent of one core); 0 without samples
//	 8  cpu_max                largest CPU sample
//	 9  cpu_std                population standard deviation of the CPU samples
//	10  mem_mean               mean of the RSS samples (MB)
//	11  mem_max                largest RSS sample
//	12  net_conns              connection records that are not Continued (new connections)
//	13  net_distinct_ips       distinct remote addresses over all records
//	14  net_distinct_ports     distinct remote ports over all records
//	15  net_bytes_in           bytes received, all records
//	16  net_bytes_out          bytes sent, all records
//	17  net_mining_port_share  outbound records to a mining port / all records; 0 without records
//	18  dns_queries            DNS queries
//	19  dns_pool_match         1 if a query (lower-cased, trailing dot dropped) matches a pool pattern
//	20  files_opened           opens of regular files
//	21  distinct_dirs          distinct directories: opened ones and the parents of opened files
//	22  libs_loaded            distinct shared libraries opened
//	23  crypto_lib             1 if the process has loaded a crypto library by the window's end
//
// Distinct counts saturate at WindowConfig.MaxDistinct (4096). The mining
// ports (3333, 4444, 5555, 7777, 14444, 45700), pool patterns ("pool.*",
// "*.nanopool.org", "*.minexmr.com", "*.supportxmr.com") and crypto
// library prefixes (libcrypto, libuv, libhwloc) are configurable.
//
// Syscalls map to families by a fixed table (FamilyOfSyscall, SyscallsOf):
// file (open, read, write, stat, getdents64, ioctl, fcntl...), network
// (socket, connect, accept, send/recv...), process (clone, execve, wait,
// kill, credentials, scheduling, rlimits), memory (mmap, munmap, brk,
// mprotect, madvise...), ipc (futex, pipes, eventfd, epoll, poll, select,
// signals, SysV IPC), time (clocks, timers, sleeps) and other (any other
// name, such as getrandom or uname).
//
// FeatureCSVWriter, WriteFeatureCSV and ReadFeatureCSV write and read the
// rows as CSV with the header of CSVHeader.
package miner
