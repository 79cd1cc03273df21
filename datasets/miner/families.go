package miner

import (
	"math/rand/v2"
	"time"
)

// Family is the kind of program, ground truth for analysis; features do
// not see it.
type Family string

// Legitimate families.
const (
	FamilyWebServer      Family = "web-server"      // many short inbound connections on 80/443, moderate CPU
	FamilyDatabase       Family = "database"        // steady memory, data files, pooled inbound connections
	FamilyBuild          Family = "build"           // compiler jobs: CPU bursts, many file opens, no network
	FamilyVideoEncoder   Family = "video-encoder"   // sustained high CPU on all threads (hard negative)
	FamilyMLTraining     Family = "ml-training"     // sustained high CPU, large memory, some network (hard negative)
	FamilyBackup         Family = "backup"          // many files, many bytes out
	FamilyShellScript    Family = "shell-script"    // short, process syscalls, few files
	FamilyCronJob        Family = "cron-job"        // short, hourly, log and directory work
	FamilyBrowser        Family = "browser"         // many outbound TLS connections and DNS queries, large memory
	FamilyPackageManager Family = "package-manager" // downloads, many file writes
)

// Miner families.
const (
	FamilyMinerCPU       Family = "miner-cpu"       // xmrig-like: ~100% per thread, stratum ports, pool DNS names
	FamilyMinerStealth   Family = "miner-stealth"   // throttled to 30-60%, port 443, disguised names
	FamilyMinerContainer Family = "miner-container" // a CPU miner in a container, under a CPU quota
)

// LegitimateFamilies returns the legitimate families in a fixed order.
func LegitimateFamilies() []Family {
	return []Family{FamilyWebServer, FamilyDatabase, FamilyBuild, FamilyVideoEncoder, FamilyMLTraining,
		FamilyBackup, FamilyShellScript, FamilyCronJob, FamilyBrowser, FamilyPackageManager}
}

// MinerFamilies returns the miner families in the order Generate assigns
// them.
func MinerFamilies() []Family {
	return []Family{FamilyMinerCPU, FamilyMinerStealth, FamilyMinerContainer}
}

// IsMiner reports whether f is a miner family.
func (f Family) IsMiner() bool {
	return f == FamilyMinerCPU || f == FamilyMinerStealth || f == FamilyMinerContainer
}

// IsHardNegative reports whether f is a legitimate family whose CPU use
// looks like mining: video encoders and ML training.
func (f Family) IsHardNegative() bool { return f == FamilyVideoEncoder || f == FamilyMLTraining }

// familyWeight is the share of legitimate programs of each family beyond
// the first of each.
var familyWeight = map[Family]float64{
	FamilyWebServer: 0.10, FamilyDatabase: 0.07, FamilyBuild: 0.17, FamilyVideoEncoder: 0.07,
	FamilyMLTraining: 0.07, FamilyBackup: 0.06, FamilyShellScript: 0.15, FamilyCronJob: 0.12,
	FamilyBrowser: 0.08, FamilyPackageManager: 0.11,
}

// programSpec is a program's fixed traits and base behaviour.
type programSpec struct {
	fam          Family
	name, binary string
	base         profile
	disguise     func(rng *rand.Rand) (name, binary string) // per-run observed name; nil: none
	container    float64                                    // probability that a run is in a container
	ppid         func(rng *rand.Rand) int
	scaleThreads bool    // runs vary their thread count
	atStart      float64 // probability that a run is already running when the period starts
	cronMinute   int     // minute past the hour of a cron job; -1 for others
}

// newProgramSpec draws a program of family fam.
func newProgramSpec(fam Family, rng *rand.Rand) *programSpec {
	var sp *programSpec
	switch fam {
	case FamilyWebServer:
		sp = webSpec(rng)
	case FamilyDatabase:
		sp = databaseSpec(rng)
	case FamilyBuild:
		sp = buildSpec(rng)
	case FamilyVideoEncoder:
		sp = encoderSpec(rng)
	case FamilyMLTraining:
		sp = mlSpec(rng)
	case FamilyBackup:
		sp = backupSpec(rng)
	case FamilyShellScript:
		sp = shellSpec(rng)
	case FamilyCronJob:
		sp = cronSpec(rng)
	case FamilyBrowser:
		sp = browserSpec(rng)
	case FamilyPackageManager:
		sp = packageSpec(rng)
	case FamilyMinerCPU:
		sp = cpuMinerSpec(rng)
	case FamilyMinerStealth:
		sp = stealthMinerSpec(rng)
	case FamilyMinerContainer:
		sp = containerMinerSpec(rng)
	default:
		panic("miner: unknown family " + string(fam))
	}
	sp.fam = fam
	if sp.ppid == nil {
		sp.ppid = func(*rand.Rand) int { return 1 }
	}
	return sp
}

// run draws one process of the program.
func (sp *programSpec) run(rng *rand.Rand, prog Program, c Config, start, end int64) Process {
	prof := sp.base.vary(rng, sp.scaleThreads)
	dur := int64(durationBetween(rng, prof.minDur, prof.maxDur))
	s := start + rng.Int64N(end-start)
	switch {
	case sp.cronMinute >= 0 && c.Duration >= time.Hour:
		slot := start + int64(rng.IntN(int(c.Duration/time.Hour)))*int64(time.Hour) +
			int64(sp.cronMinute)*int64(time.Minute) + rng.Int64N(int64(2*time.Second))
		if slot < end {
			s = slot
		}
	case rng.Float64() < sp.atStart:
		s = start
	}
	p := Process{
		PPID: sp.ppid(rng), Program: prog.ID, Family: sp.fam, Miner: prog.Miner,
		Name: sp.name, Binary: sp.binary, Threads: prof.threads,
		Start: s, End: min(s+dur, end), Exits: s+dur <= end,
		prof: prof, sample: int64(c.SampleInterval), memSample: int64(c.MemoryInterval),
	}
	if sp.disguise != nil {
		p.Name, p.Binary = sp.disguise(rng)
	}
	if rng.Float64() < sp.container {
		p.Container = hexID(rng, 12)
	}
	p.seed = rng.Uint64()
	return p
}

// Library paths.
const (
	libDir  = "/usr/lib/x86_64-linux-gnu/"
	libcSO  = "/lib/x86_64-linux-gnu/libc.so.6"
	loader  = "/lib64/ld-linux-x86-64.so.2"
	muslLdr = "/lib/ld-musl-x86_64.so.1"
)

// glibcLibs returns the loader, libc and the named libraries of libDir.
func glibcLibs(names ...string) []string {
	out := []string{loader, libcSO}
	for _, n := range names {
		out = append(out, libDir+n)
	}
	return out
}

// maybe returns xs with probability p, else nil.
func maybe(rng *rand.Rand, p float64, xs ...string) []string {
	if rng.Float64() < p {
		return xs
	}
	return nil
}

// randomPID draws a pid for a parent outside the dataset.
func randomPID(rng *rand.Rand) int { return between(rng, 300, 999) }
