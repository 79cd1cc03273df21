package miner

// Feature indexes a value of FeatureRow.Values; the order is the column
// order of the CSV and of FeatureNames, and is part of the API.
type Feature int

// Features, in order. Counts are per window; see the package
// documentation for exact definitions.
const (
	FeatSysFile         Feature = iota // calls of file syscalls
	FeatSysNetwork                     // calls of network syscalls
	FeatSysProcess                     // calls of process syscalls
	FeatSysMemory                      // calls of memory syscalls
	FeatSysIPC                         // calls of IPC syscalls
	FeatSysTime                        // calls of time syscalls
	FeatSysOther                       // calls of other syscalls
	FeatCPUMean                        // mean CPU sample, percent of one core
	FeatCPUMax                         // largest CPU sample
	FeatCPUStd                         // population standard deviation of the CPU samples
	FeatMemMean                        // mean RSS sample, MB
	FeatMemMax                         // largest RSS sample, MB
	FeatConns                          // new connections (records not Continued)
	FeatDistinctIPs                    // distinct remote addresses over all records
	FeatDistinctPorts                  // distinct remote ports over all records
	FeatBytesIn                        // bytes received over all records
	FeatBytesOut                       // bytes sent over all records
	FeatMiningPortShare                // share of records that are outbound to a mining port
	FeatDNSQueries                     // DNS queries
	FeatDNSPoolMatch                   // 1 if a query matched a pool pattern, else 0
	FeatFilesOpened                    // opens of regular files
	FeatDistinctDirs                   // distinct directories: opened ones and parents of opened files
	FeatLibsLoaded                     // distinct shared libraries opened
	FeatCryptoLib                      // 1 if the process has loaded a crypto library by the window's end
	NumFeatures                        // number of features
)

var featureNames = [NumFeatures]string{
	"sys_file", "sys_network", "sys_process", "sys_memory", "sys_ipc", "sys_time", "sys_other",
	"cpu_mean", "cpu_max", "cpu_std", "mem_mean", "mem_max",
	"net_conns", "net_distinct_ips", "net_distinct_ports", "net_bytes_in", "net_bytes_out",
	"net_mining_port_share", "dns_queries", "dns_pool_match",
	"files_opened", "distinct_dirs", "libs_loaded", "crypto_lib",
}

func (f Feature) String() string {
	if f >= 0 && f < NumFeatures {
		return featureNames[f]
	}
	return "feature?"
}

// FeatureNames returns the feature names in order (a fresh slice).
func FeatureNames() []string { return append([]string(nil), featureNames[:]...) }

// FeatureRow holds the features of one process in one window with its
// identifiers and label.
type FeatureRow struct {
	Program     string // the group: every process of a program shares it
	PID         int
	Name        string // observed process name
	WindowStart int64  // ns since the Unix epoch, a multiple of the window length
	Miner       bool   // the label
	Values      [NumFeatures]float64
}

// Get returns the value of feature f.
func (r *FeatureRow) Get(f Feature) float64 { return r.Values[f] }
