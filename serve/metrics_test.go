package serve

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestMetrics(t *testing.T) {
	m := fitIPModel(t, "ipinsights-2024-06-01", trainPairs...)
	s, err := New(func() (Model, error) { return m, nil }, Config{})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	get(h, "/ping") // 503: not loaded yet
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	get(h, "/ping")
	invoke(h, "text/csv", "", "alice,10.0.0.1\nbob,10.0.0.1")
	invoke(h, "application/json", "", `{"features":["bob","192.168.1.7"]}`)
	invoke(h, "text/csv", "", "alice,300.0.0.1")
	invoke(h, "text/xml", "", "<x/>")
	get(h, "/nowhere")

	rec := get(h, "/metrics")
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}
	text := rec.Body.String()
	for _, want := range []string{
		`vigil_http_requests_total{path="/invocations",code="200"} 2`,
		`vigil_http_requests_total{path="/invocations",code="400"} 1`,
		`vigil_http_requests_total{path="/invocations",code="415"} 1`,
		`vigil_http_requests_total{path="/ping",code="200"} 1`,
		`vigil_http_requests_total{path="/ping",code="503"} 1`,
		`vigil_http_requests_total{path="other",code="404"} 1`,
		`vigil_invocation_errors_total{reason="bad_request"} 1`,
		`vigil_invocation_errors_total{reason="unsupported_media_type"} 1`,
		`vigil_invocation_errors_total{reason="model"} 0`,
		`vigil_invocation_duration_seconds_bucket{le="+Inf"} 4`,
		`vigil_invocation_duration_seconds_count 4`,
		`vigil_records_scored_total 3`,
		`vigil_model_reloads_total{result="ok"} 1`,
		`vigil_model_info{version="ipinsights-2024-06-01"} 1`,
		`# TYPE vigil_invocation_duration_seconds histogram`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}

	sample := regexp.MustCompile(`^([a-z_]+)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (\S+)$`)
	var prev float64
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		if strings.HasPrefix(line, "# HELP ") || strings.HasPrefix(line, "# TYPE ") {
			continue
		}
		g := sample.FindStringSubmatch(line)
		if g == nil {
			t.Errorf("malformed sample line %q", line)
			continue
		}
		v, err := strconv.ParseFloat(g[4], 64)
		if err != nil {
			t.Errorf("line %q: %v", line, err)
		}
		if g[1] == "vigil_invocation_duration_seconds_bucket" {
			if v < prev {
				t.Errorf("bucket counts decrease at %q", line)
			}
			prev = v
		}
	}
}

func TestMetricsBeforeLoadAndEscaping(t *testing.T) {
	m := &ipModel{version: "a\"b\\c\nd"}
	s, err := New(func() (Model, error) { return m, nil }, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if text := get(s.Handler(), "/metrics").Body.String(); strings.Contains(text, "vigil_model_info{") {
		t.Errorf("model info before load:\n%s", text)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	want := `vigil_model_info{version="a\"b\\c\nd"} 1` + "\n"
	if text := get(s.Handler(), "/metrics").Body.String(); !strings.Contains(text, want) {
		t.Errorf("metrics lack %q:\n%s", want, text)
	}
}
