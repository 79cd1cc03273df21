package pushgateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer collects a child process's output from two pipes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startPushgateway starts the real Pushgateway binary on a free loopback
// port, without persistence, waits until /-/ready answers 200, and returns
// its base URL. The process is stopped in t.Cleanup. Without a binary the
// test is skipped, or fails when VIGIL_REQUIRE_PUSHGATEWAY=1.
func startPushgateway(t *testing.T) string {
	t.Helper()
	var bin string
	for _, name := range []string{"prometheus-pushgateway", "pushgateway"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		msg := "no prometheus-pushgateway or pushgateway on PATH (run scripts/pushgateway-deps.sh)"
		if os.Getenv("VIGIL_REQUIRE_PUSHGATEWAY") == "1" {
			t.Fatal(msg + ", and VIGIL_REQUIRE_PUSHGATEWAY=1")
		}
		t.Skip(msg)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	// Debian's build defaults --persistence.file to a path under
	// /var/lib/prometheus; an empty value keeps metrics in memory only.
	cmd := exec.Command(bin, "--web.listen-address="+addr, "--persistence.file=", "--log.level=warn")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("stopping pushgateway: %v", err)
		}
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Errorf("killing pushgateway: %v", err)
			}
			<-exited
		}
		if t.Failed() {
			t.Logf("pushgateway output:\n%s", logs.String())
		}
	})

	base := "http://" + addr
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err // for the cleanup
			t.Fatalf("pushgateway exited before it was ready: %v\n%s", err, logs.String())
		default:
		}
		resp, err := http.Get(base + "/-/ready")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("pushgateway at %s not ready after 15 s (last error %v)\n%s", base, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	out, _ := exec.Command(bin, "--version").CombinedOutput()
	t.Logf("%s at %s: %s", bin, base, strings.SplitN(string(out), "\n", 2)[0])
	return base
}

// sample is one parsed line of a text exposition.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

// parseExposition parses the sample lines of a text exposition, skipping
// comments and blank lines.
func parseExposition(text string) ([]sample, error) {
	var samples []sample
	for n, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := parseSample(line)
		if err != nil {
			return nil, fmt.Errorf("line %d %q: %w", n+1, line, err)
		}
		samples = append(samples, s)
	}
	return samples, nil
}

func parseSample(line string) (sample, error) {
	s := sample{labels: map[string]string{}}
	i := strings.IndexAny(line, "{ ")
	if i <= 0 {
		return s, errors.New("no metric name")
	}
	s.name, line = line[:i], line[i:]
	if line[0] == '{' {
		line = line[1:]
		for {
			line = strings.TrimLeft(line, " ,")
			if strings.HasPrefix(line, "}") {
				line = line[1:]
				break
			}
			eq := strings.Index(line, `="`)
			if eq <= 0 {
				return s, errors.New("bad label pair")
			}
			name := line[:eq]
			line = line[eq+2:]
			var value strings.Builder
			closed := false
			for j := 0; j < len(line); j++ {
				c := line[j]
				if c == '"' {
					line, closed = line[j+1:], true
					break
				}
				if c == '\\' && j+1 < len(line) {
					j++
					switch line[j] {
					case 'n':
						value.WriteByte('\n')
					default: // \\ and \"
						value.WriteByte(line[j])
					}
					continue
				}
				value.WriteByte(c)
			}
			if !closed {
				return s, errors.New("unterminated label value")
			}
			s.labels[name] = value.String()
		}
	}
	fields := strings.Fields(line) // value, then an optional timestamp
	if len(fields) == 0 {
		return s, errors.New("no value")
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return s, err
	}
	s.value = v
	return s, nil
}

// scrape returns the samples the gateway exposes at /metrics and the raw text.
func scrape(t *testing.T, base string) ([]sample, string) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s, %v", resp.Status, err)
	}
	samples, err := parseExposition(string(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return samples, string(body)
}

// find returns the value of the sample named name whose labels include
// want (a missing label counts as ""), and whether there is one.
func find(samples []sample, name string, want map[string]string) (float64, bool) {
	for _, s := range samples {
		if s.name != name {
			continue
		}
		match := true
		for k, v := range want {
			if s.labels[k] != v {
				match = false
				break
			}
		}
		if match {
			return s.value, true
		}
	}
	return 0, false
}

// eventually scrapes until check passes or 5 s have gone by; the gateway
// applies a DELETE asynchronously.
func eventually(t *testing.T, base, what string, check func([]sample) bool) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		samples, text := scrape(t, base)
		if check(samples) {
			return text
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not seen within 5 s; /metrics:\n%s", what, text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestIntegrationRealPushgateway(t *testing.T) {
	base := startPushgateway(t)
	ctx := context.Background()
	const job = "vigil_it"
	grouping := map[string]string{"sweep": "lr/0.01", "shard": ""}
	model := `conv"vae"\1` + "\n"
	metrics := []Metric{
		{Name: "vigil_it_auc", Help: "Validation AUC.\nBackslash \\ kept.", Labels: map[string]string{"model": model}, Value: 0.9},
		{Name: "vigil_it_runs_total", Help: "Runs.", Type: TypeCounter, Value: 3},
	}
	aucLabels := map[string]string{"job": job, "sweep": "lr/0.01", "shard": "", "model": model}
	runsLabels := map[string]string{"job": job, "sweep": "lr/0.01", "shard": ""}
	has := func(s []sample, name string, labels map[string]string, want float64) bool {
		v, ok := find(s, name, labels)
		return ok && v == want
	}

	if err := Push(ctx, base, job, grouping, metrics); err != nil {
		t.Fatalf("Push: %v", err)
	}
	text := eventually(t, base, "pushed metrics", func(s []sample) bool {
		return has(s, "vigil_it_auc", aucLabels, 0.9) && has(s, "vigil_it_runs_total", runsLabels, 3)
	})
	for _, line := range []string{
		`# HELP vigil_it_auc Validation AUC.\nBackslash \\ kept.`,
		"# TYPE vigil_it_auc gauge",
		"# TYPE vigil_it_runs_total counter",
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("/metrics lacks %q", line)
		}
	}

	// POST replaces vigil_it_auc only.
	if err := Add(ctx, base, job, grouping, []Metric{{Name: "vigil_it_auc", Help: metrics[0].Help, Labels: map[string]string{"model": model}, Value: 0.95}}); err != nil {
		t.Fatalf("Add: %v", err)
	}
	eventually(t, base, "added value, other metric kept", func(s []sample) bool {
		return has(s, "vigil_it_auc", aucLabels, 0.95) && has(s, "vigil_it_runs_total", runsLabels, 3)
	})

	// The gateway rejects a push inconsistent with another group, and says why.
	err := Push(ctx, base, "vigil_it_other", nil, []Metric{{Name: "vigil_it_auc", Type: TypeCounter, Value: 1}})
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusBadRequest || strings.TrimSpace(se.Body) == "" {
		t.Errorf("inconsistent push: err = %v, want a 400 StatusError with an explanation", err)
	} else {
		t.Logf("rejected as expected: %v", err)
	}

	if err := Delete(ctx, base, job, grouping); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	eventually(t, base, "deleted group", func(s []sample) bool {
		_, auc := find(s, "vigil_it_auc", map[string]string{"job": job})
		_, runs := find(s, "vigil_it_runs_total", map[string]string{"job": job})
		return !auc && !runs
	})
}

func TestParseSample(t *testing.T) {
	s, err := parseSample(`m{a="x\"y\\z\n",b=""} +Inf 123`)
	if err != nil || s.name != "m" || s.labels["a"] != "x\"y\\z\n" || s.labels["b"] != "" || s.value <= 0 {
		t.Errorf("parseSample = %+v, %v", s, err)
	}
	// Round trip through encodeText.
	body, err := encodeText(escapingMetrics, nil)
	if err != nil {
		t.Fatal(err)
	}
	samples, err := parseExposition(string(body))
	if err != nil || len(samples) != len(escapingMetrics) {
		t.Fatalf("parsed %d samples, %v", len(samples), err)
	}
	if v, ok := find(samples, "vigil_train_loss", map[string]string{"model": "conv\"vae\"\n\\x"}); !ok || v != 0.125 {
		t.Errorf("escaped label value did not round-trip: %v %v", v, ok)
	}
}
