package serve

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// metrics holds the counters behind /metrics.
type metrics struct {
	mu       sync.Mutex
	requests map[requestKey]uint64
	errors   map[string]uint64
	bounds   []float64 // latency bucket upper bounds, seconds
	buckets  []uint64  // non-cumulative counts per bound
	count    uint64
	sum      float64
	records  uint64
	reloads  [2]uint64 // failed, succeeded
}

// requestKey labels vigil_http_requests_total.
type requestKey struct {
	path string
	code int
}

func newMetrics() *metrics {
	bounds := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}
	m := &metrics{
		requests: map[requestKey]uint64{},
		errors:   map[string]uint64{},
		bounds:   bounds,
		buckets:  make([]uint64, len(bounds)),
	}
	for _, r := range errorReasons() {
		m.errors[r] = 0
	}
	return m
}

// request counts a finished request; /invocations also feeds the
// latency histogram.
func (m *metrics) request(path string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{path, code}]++
	if path != "/invocations" {
		return
	}
	sec := d.Seconds()
	if i, _ := slices.BinarySearch(m.bounds, sec); i < len(m.bounds) {
		m.buckets[i]++
	}
	m.count++
	m.sum += sec
}

func (m *metrics) fail(reason string) {
	m.mu.Lock()
	m.errors[reason]++
	m.mu.Unlock()
}

func (m *metrics) scored(n int) {
	m.mu.Lock()
	m.records += uint64(n)
	m.mu.Unlock()
}

func (m *metrics) reload(ok bool) {
	m.mu.Lock()
	if ok {
		m.reloads[1]++
	} else {
		m.reloads[0]++
	}
	m.mu.Unlock()
}

// write renders the Prometheus text exposition format; version is the
// serving model's, or "" before the first load.
func (m *metrics) write(w io.Writer, version string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	header := func(name, typ, help string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	}

	header("vigil_http_requests_total", "counter", "HTTP requests answered, by path and status code.")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b requestKey) int {
		if c := strings.Compare(a.path, b.path); c != 0 {
			return c
		}
		return a.code - b.code
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "vigil_http_requests_total{path=%s,code=\"%d\"} %d\n", quote(k.path), k.code, m.requests[k])
	}

	header("vigil_invocation_errors_total", "counter", "Failed /invocations requests, by reason.")
	for _, r := range slices.Sorted(maps.Keys(m.errors)) {
		fmt.Fprintf(&b, "vigil_invocation_errors_total{reason=%s} %d\n", quote(r), m.errors[r])
	}

	header("vigil_invocation_duration_seconds", "histogram", "Time to answer /invocations.")
	var cum uint64
	for i, ub := range m.bounds {
		cum += m.buckets[i]
		fmt.Fprintf(&b, "vigil_invocation_duration_seconds_bucket{le=\"%s\"} %d\n", formatFloat(ub), cum)
	}
	fmt.Fprintf(&b, "vigil_invocation_duration_seconds_bucket{le=\"+Inf\"} %d\n", m.count)
	fmt.Fprintf(&b, "vigil_invocation_duration_seconds_sum %s\n", formatFloat(m.sum))
	fmt.Fprintf(&b, "vigil_invocation_duration_seconds_count %d\n", m.count)

	header("vigil_records_scored_total", "counter", "Records scored successfully.")
	fmt.Fprintf(&b, "vigil_records_scored_total %d\n", m.records)

	header("vigil_model_reloads_total", "counter", "Model reloads, by result.")
	fmt.Fprintf(&b, "vigil_model_reloads_total{result=\"error\"} %d\n", m.reloads[0])
	fmt.Fprintf(&b, "vigil_model_reloads_total{result=\"ok\"} %d\n", m.reloads[1])

	header("vigil_model_info", "gauge", "The serving model's version; absent before the first load.")
	if version != "" {
		fmt.Fprintf(&b, "vigil_model_info{version=%s} 1\n", quote(version))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// quote renders a label value, escaping \, " and newline.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// serveMetrics answers GET /metrics.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	version := ""
	if m := s.Model(); m != nil {
		version = m.Version()
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_ = s.metrics.write(w, version) // a failed write means the scraper left
}
