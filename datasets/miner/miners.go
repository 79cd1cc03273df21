package miner

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"
)

// Pool names. The first group matches DefaultPoolPatterns; the second is
// made of clearly fake domains that do not (proxies, disguised pools).
var (
	poolNames = []string{"pool.minexmr.com", "xmr-eu1.nanopool.org", "xmr-us-east1.nanopool.org",
		"pool.supportxmr.com", "pool.hashfarm.example", "pool.coinpit.test"}
	proxyNames = []string{"api.cdn-metrics.example.net", "update.sys-telemetry.test", "img.static-assets.invalid",
		"stratum.cryptonest.invalid"}
	minerNames = []string{"xmrig", "xmr-stak-rx", "minerd", "cpuminer-opt", "SRBMiner-MULTI", "xmrig-notls"}
	minerDirs  = []string{"/tmp/.xm", "/var/tmp/.cache", "/dev/shm", "/opt/xmrig", "/root/.local/bin"}
	disguises  = []string{"kworker/0:2", "kworker/u16:1", "systemd-journal", "[kthreadd]", "dbus-daemon", "sshd",
		"kswapd0", "rsyslogd", "php-fpm"}
	hideDirs = []string{"/tmp/.X11-unix/.", "/dev/shm/.", "/var/tmp/.systemd/", "/usr/bin/.", "/lib/systemd/."}
)

// poolDest draws the pool a miner connects to: named (matching the pool
// patterns with probability pPattern, else a fake proxy name) or, with
// probability pBare, by address only; on a stratum port, or on 443 with
// probability pTLS.
func poolDest(rng *rand.Rand, pPattern, pBare, pTLS float64, ips netip.Prefix) dest {
	d := dest{ips: addrs(rng, ips, between(rng, 1, 2)), proto: "tcp", port: pick(rng, DefaultMiningPorts())}
	if rng.Float64() < pTLS {
		d.port = 443
	}
	switch u := rng.Float64(); {
	case u < pBare:
	case u < pBare+pPattern*(1-pBare):
		d.name = pick(rng, poolNames)
	default:
		d.name = pick(rng, proxyNames)
	}
	return d
}

// minerStartFiles are what a miner reads to size its threads and memory.
func minerStartFiles(dir string) []string {
	return []string{"/proc/cpuinfo", "/proc/meminfo", "/sys/devices/system/cpu/online",
		"/sys/devices/system/cpu/cpu0/cache/index3/size", "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages",
		dir + "/config.json"}
}

// minerMemory is RandomX memory: the 2 GB dataset in fast mode, the
// 256 MB cache in light mode.
func minerMemory(rng *rand.Rand, pLight float64) memModel {
	if rng.Float64() < pLight {
		return memModel{base: uniform(rng, 260, 420), sd: 1}
	}
	return memModel{base: uniform(rng, 2300, 2600), sd: 1}
}

const minerSyscalls = "futex:25 clock_gettime:6 epoll_wait:1.5 recvfrom:0.05 sendto:0.04 write:0.05 sched_yield:0.5 getrusage:0.1"

func cpuMinerSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, minerNames)
	dir := pick(rng, minerDirs)
	var libs []string
	if rng.Float64() < 0.7 { // built against the distribution's libraries
		libs = glibcLibs("libuv.so.1", "libhwloc.so.15", "libssl.so.3", "libcrypto.so.3", "libstdc++.so.6")
	}
	pool := poolDest(rng, 0.85, 0.1, 0.15, netPools)
	p := profile{
		threads:    between(rng, 2, 12),
		cpu:        cpuModel{level: uniform(rng, 95, 99.5), sd: uniform(rng, 0.5, 1.5), altLevel: uniform(rng, 60, 90), altSD: 5, pIn: 0.005, pOut: 0.5},
		mem:        minerMemory(rng, 0.3),
		sys:        sysMix(minerSyscalls),
		libs:       libs,
		startFiles: minerStartFiles(dir),
		pers:       []persistent{{d: pool, outRate: uniform(rng, 5, 30), inRate: uniform(rng, 30, 80), reconnect: 0.002}},
		dnsP:       1,
		minDur:     20 * time.Minute,
		maxDur:     48 * time.Hour,
	}
	bashPID := randomPID(rng)
	return &programSpec{name: name, binary: dir + "/" + name, base: p, cronMinute: -1, scaleThreads: true, atStart: 0.3,
		ppid: func(r *rand.Rand) int { return pick(r, []int{1, bashPID}) }}
}

func stealthMinerSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, minerNames)
	var libs []string
	if rng.Float64() < 0.4 {
		libs = glibcLibs("libuv.so.1", "libhwloc.so.15", "libssl.so.3", "libcrypto.so.3")
	}
	ips := netPools
	if rng.Float64() < 0.5 {
		ips = netInternet // a proxy
	}
	pool := poolDest(rng, 0.3, 0.4, 0.7, ips)
	p := profile{
		threads:    between(rng, 1, 4),
		cpu:        cpuModel{level: uniform(rng, 30, 60), sd: uniform(rng, 2, 4), altLevel: 0.2, altSD: 0.1, pIn: 0.01, pOut: 0.1},
		mem:        minerMemory(rng, 0.6),
		sys:        sysMix(minerSyscalls + " clock_nanosleep:8 nanosleep:4"),
		libs:       libs,
		startFiles: minerStartFiles("/tmp"),
		pers:       []persistent{{d: pool, outRate: uniform(rng, 3, 20), inRate: uniform(rng, 20, 60), reconnect: 0.001}},
		dnsP:       1,
		minDur:     time.Hour,
		maxDur:     72 * time.Hour,
	}
	if rng.Float64() < 0.6 { // pauses while an administrator's tools run: scans /proc
		pids := make([]string, 300)
		for i := range pids {
			pids[i] = fmt.Sprintf("/proc/%d", between(rng, 1, 40000))
		}
		p.files = fileGen{dirs: pids, fixed: []string{"cmdline", "comm", "stat"}, rate: uniform(rng, 0.05, 0.5), dirRate: uniform(rng, 0.01, 0.05)}
	}
	var disguise func(*rand.Rand) (string, string)
	if rng.IntN(2) == 0 { // one disguise for all runs
		dn, dd := pick(rng, disguises), pick(rng, hideDirs)
		disguise = func(*rand.Rand) (string, string) { return dn, dd + "kthread" }
	} else { // a random name per run
		disguise = func(r *rand.Rand) (string, string) {
			n := randomName(r)
			return n, pick(r, hideDirs) + n
		}
	}
	return &programSpec{name: name, binary: "/tmp/" + name, base: p, disguise: disguise, container: 0.2, cronMinute: -1,
		scaleThreads: true, atStart: 0.5}
}

func containerMinerSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"xmrig", "xmrig", "node", "python3", "java", "app"})
	var libs []string
	if rng.Float64() < 0.7 { // an Alpine image
		libs = []string{muslLdr, "/usr/lib/libuv.so.1", "/usr/lib/libhwloc.so.15", "/lib/libcrypto.so.3", "/lib/libssl.so.3"}
	}
	pool := poolDest(rng, 0.6, 0.1, 0.2, netPools)
	p := profile{
		threads:    between(rng, 1, 4),
		cpu:        cpuModel{level: uniform(rng, 90, 99), sd: uniform(rng, 0.5, 2), altLevel: uniform(rng, 40, 80), altSD: 5, pIn: 0.005, pOut: 0.5},
		mem:        minerMemory(rng, 0.3),
		sys:        sysMix(minerSyscalls),
		libs:       libs,
		startFiles: minerStartFiles("/app"),
		pers:       []persistent{{d: pool, outRate: uniform(rng, 5, 30), inRate: uniform(rng, 30, 80), reconnect: 0.002}},
		dnsP:       1,
		minDur:     20 * time.Minute,
		maxDur:     48 * time.Hour,
	}
	return &programSpec{name: name, binary: pick(rng, []string{"/usr/local/bin/", "/app/", "/tmp/"}) + name, base: p,
		container: 1, cronMinute: -1, scaleThreads: true, atStart: 0.3, ppid: randomPID}
}
