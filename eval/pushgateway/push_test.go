package pushgateway

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorded is what the test server saw of one request.
type recorded struct {
	method, requestURI string
	header             http.Header
	body               string
}

// recorder is an httptest server that records requests and answers with
// a fixed status and body.
type recorder struct {
	mu       sync.Mutex
	requests []recorded
	status   int
	reply    string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	rec.mu.Lock()
	rec.requests = append(rec.requests, recorded{r.Method, r.RequestURI, r.Header.Clone(), string(body)})
	status, reply := rec.status, rec.reply
	rec.mu.Unlock()
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	io.WriteString(w, reply)
}

func (rec *recorder) all() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.requests...)
}

func newRecorder(t *testing.T, status int, reply string) (*recorder, *httptest.Server) {
	t.Helper()
	rec := &recorder{status: status, reply: reply}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv
}

// escapingMetrics cover grouping by name, escaping, types and special values.
var escapingMetrics = []Metric{
	{
		Name:   "vigil_train_loss",
		Help:   "Final loss.\nLower is better; see C:\\runs.",
		Labels: map[string]string{"split": "val", "model": "conv\"vae\"\n\\x"},
		Value:  0.125,
	},
	{Name: "vigil_train_steps_total", Help: "Steps run.", Type: TypeCounter, Value: 1e6},
	{
		Name:   "vigil_train_loss",
		Help:   "Final loss.\nLower is better; see C:\\runs.",
		Labels: map[string]string{"split": "train", "model": "a"},
		Value:  math.NaN(),
	},
	{Name: "vigil_auc", Type: TypeUntyped, Help: `quote " stays`, Value: math.Inf(1)},
	{Name: "vigil:auc_low", Value: math.Inf(-1)},
	{Name: "vigil_zero", Labels: map[string]string{}, Value: -0.5e-7},
}

const escapingExposition = `# HELP vigil_train_loss Final loss.\nLower is better; see C:\\runs.
# TYPE vigil_train_loss gauge
vigil_train_loss{model="conv\"vae\"\n\\x",split="val"} 0.125
vigil_train_loss{model="a",split="train"} NaN
# HELP vigil_train_steps_total Steps run.
# TYPE vigil_train_steps_total counter
vigil_train_steps_total 1e+06
# HELP vigil_auc quote " stays
# TYPE vigil_auc untyped
vigil_auc +Inf
# TYPE vigil:auc_low gauge
vigil:auc_low -Inf
# TYPE vigil_zero gauge
vigil_zero -5e-08
`

func TestPushRequest(t *testing.T) {
	rec, srv := newRecorder(t, http.StatusOK, "")
	grouping := map[string]string{
		"run":      "sweep-3",
		"dir":      "/var/tmp",
		"empty":    "",
		"instance": "host 1",
	}
	if err := Push(context.Background(), srv.URL+"/gw/", "nightly", grouping, escapingMetrics); err != nil {
		t.Fatalf("Push: %v", err)
	}
	reqs := rec.all()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	got := reqs[0]
	if got.method != http.MethodPut {
		t.Errorf("method %s, want PUT", got.method)
	}
	const wantPath = "/gw/metrics/job/nightly/dir@base64/L3Zhci90bXA/empty@base64/=/instance/host%201/run/sweep-3"
	if got.requestURI != wantPath {
		t.Errorf("path\n got %s\nwant %s", got.requestURI, wantPath)
	}
	if ct := got.header.Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if a := got.header.Get("Authorization"); a != "" {
		t.Errorf("unexpected Authorization %q", a)
	}
	if got.body != escapingExposition {
		t.Errorf("body\n got:\n%s\nwant:\n%s", got.body, escapingExposition)
	}
}

func TestAddAndDeleteRequests(t *testing.T) {
	rec, srv := newRecorder(t, http.StatusAccepted, "")
	ctx := context.Background()
	grouping := map[string]string{"sweep": "lr/0.01"}
	metrics := []Metric{{Name: "best_auc", Value: 0.93}}
	if err := Add(ctx, srv.URL, "a/b", grouping, metrics, WithBasicAuth("vigil", "s3cret")); err != nil {
		t.Fatalf("Add: %v", err)
	}
	if err := Delete(ctx, srv.URL, "a/b", grouping, WithBasicAuth("vigil", "s3cret")); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	reqs := rec.all()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want 2", len(reqs))
	}
	// base64url("a/b") = YS9i, base64url("lr/0.01") = bHIvMC4wMQ (unpadded).
	const wantPath = "/metrics/job@base64/YS9i/sweep@base64/bHIvMC4wMQ"
	const wantAuth = "Basic dmlnaWw6czNjcmV0" // vigil:s3cret
	for i, want := range []struct{ method, body, contentType string }{
		{http.MethodPost, "# TYPE best_auc gauge\nbest_auc 0.93\n", ContentType},
		{http.MethodDelete, "", ""},
	} {
		got := reqs[i]
		if got.method != want.method || got.requestURI != wantPath || got.body != want.body {
			t.Errorf("request %d: %s %s body %q, want %s %s body %q",
				i, got.method, got.requestURI, got.body, want.method, wantPath, want.body)
		}
		if ct := got.header.Get("Content-Type"); ct != want.contentType {
			t.Errorf("request %d: Content-Type %q, want %q", i, ct, want.contentType)
		}
		if a := got.header.Get("Authorization"); a != wantAuth {
			t.Errorf("request %d: Authorization %q, want %q", i, a, wantAuth)
		}
	}
}

func TestGroupURLEncoding(t *testing.T) {
	for _, tc := range []struct {
		job      string
		grouping map[string]string
		want     string
	}{
		{"j", nil, "http://gw:9091/metrics/job/j"},
		{"j", map[string]string{"b": "2", "a": "1", "c": "3"}, "http://gw:9091/metrics/job/j/a/1/b/2/c/3"},
		{"j", map[string]string{"path": "/var/tmp"}, "http://gw:9091/metrics/job/j/path@base64/L3Zhci90bXA"},
		{"j", map[string]string{"first": "", "second": "foobar"}, "http://gw:9091/metrics/job/j/first@base64/=/second/foobar"},
		{"j", map[string]string{"up": ".."}, "http://gw:9091/metrics/job/j/up@base64/Li4"},
		{"j", map[string]string{"q": "a?b#c%d"}, "http://gw:9091/metrics/job/j/q/a%3Fb%23c%25d"},
		// base64url uses - and _ where std base64 has + and /.
		{"j", map[string]string{"v": "/>?"}, "http://gw:9091/metrics/job/j/v@base64/Lz4_"},
	} {
		got, err := groupURL("http://gw:9091", tc.job, tc.grouping)
		if err != nil || got != tc.want {
			t.Errorf("groupURL(%q, %v) = %q, %v; want %q", tc.job, tc.grouping, got, err, tc.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-2.5, "-2.5"}, {0.1, "0.1"}, {1e21, "1e+21"},
		{123456789, "1.23456789e+08"}, {math.NaN(), "NaN"}, {math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"},
	} {
		if got := formatValue(tc.v); got != tc.want {
			t.Errorf("formatValue(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestValidationErrors(t *testing.T) {
	rec, srv := newRecorder(t, http.StatusOK, "")
	for _, tc := range []struct {
		name     string
		baseURL  string
		job      string
		grouping map[string]string
		metrics  []Metric
		want     string // substring of the error
	}{
		{"empty metric name", "", "j", nil, []Metric{{Name: ""}}, `metric name ""`},
		{"digit first", "", "j", nil, []Metric{{Name: "1loss"}}, `metric name "1loss"`},
		{"dash", "", "j", nil, []Metric{{Name: "train-loss"}}, `metric name "train-loss"`},
		{"non-ASCII", "", "j", nil, []Metric{{Name: "lossé"}}, `metric name "lossé"`},
		{"label with colon", "", "j", nil, []Metric{{Name: "m", Labels: map[string]string{"a:b": "x"}}}, `label name "a:b"`},
		{"label reserved prefix", "", "j", nil, []Metric{{Name: "m", Labels: map[string]string{"__name": "x"}}}, `label name "__name"`},
		{"label digit first", "", "j", nil, []Metric{{Name: "m", Labels: map[string]string{"1a": "x"}}}, `label name "1a"`},
		{"label is job", "", "j", nil, []Metric{{Name: "m", Labels: map[string]string{"job": "x"}}}, `label "job" is part of the grouping key`},
		{"label is grouping", "", "j", map[string]string{"run": "1"}, []Metric{{Name: "m", Labels: map[string]string{"run": "2"}}}, `label "run" is part of the grouping key`},
		{"bad type", "", "j", nil, []Metric{{Name: "m", Type: "histogram"}}, `type "histogram"`},
		{"help differs", "", "j", nil, []Metric{{Name: "m", Help: "a", Labels: map[string]string{"x": "1"}}, {Name: "m", Help: "b"}}, "help or type differs"},
		{"type differs", "", "j", nil, []Metric{{Name: "m", Labels: map[string]string{"x": "1"}}, {Name: "m", Type: TypeCounter}}, "help or type differs"},
		{"duplicate sample", "", "j", nil, []Metric{{Name: "m", Labels: map[string]string{"x": "1"}}, {Name: "m", Labels: map[string]string{"x": "1"}}}, "duplicate sample"},
		{"invalid UTF-8 value", "", "j", nil, []Metric{{Name: "m", Labels: map[string]string{"x": "\xff"}}}, "not valid UTF-8"},
		{"invalid UTF-8 help", "", "j", nil, []Metric{{Name: "m", Help: "\xff"}}, "not valid UTF-8"},
		{"empty job", "", "", nil, nil, "empty job name"},
		{"grouping job", "", "j", map[string]string{"job": "x"}, nil, `grouping label "job"`},
		{"grouping reserved prefix", "", "j", map[string]string{"__g": "x"}, nil, `grouping label name "__g"`},
		{"grouping dash", "", "j", map[string]string{"a-b": "x"}, nil, `grouping label name "a-b"`},
		{"base URL without scheme", "localhost:9091", "j", nil, nil, "not an http(s) URL"},
		{"base URL with query", srv.URL + "?x=1", "j", nil, nil, "query or fragment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := tc.baseURL
			if base == "" {
				base = srv.URL
			}
			err := Push(context.Background(), base, tc.job, tc.grouping, tc.metrics)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want one wrapping ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to contain %q", err, tc.want)
			}
		})
	}
	if n := len(rec.all()); n != 0 {
		t.Errorf("%d requests sent for invalid input, want 0", n)
	}
	// Names that are valid pass.
	ok := []Metric{{Name: "a:b_1", Labels: map[string]string{"_x": "", "y9": "v"}}, {Name: "_m", Value: 1}}
	if err := Push(context.Background(), srv.URL, "j", map[string]string{"g_1": "v"}, ok); err != nil {
		t.Errorf("valid names: %v", err)
	}
}

func TestStatusError(t *testing.T) {
	const reason = "pushed metrics are invalid or inconsistent with existing metrics: collected metric \"m\" was collected before"
	_, srv := newRecorder(t, http.StatusBadRequest, reason+"\n")
	err := Push(context.Background(), srv.URL, "j", nil, []Metric{{Name: "m", Value: 1}})
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want *StatusError", err, err)
	}
	if se.StatusCode != http.StatusBadRequest || se.Method != http.MethodPut || se.URL != srv.URL+"/metrics/job/j" {
		t.Errorf("StatusError = %+v", se)
	}
	for _, want := range []string{"400 Bad Request", reason, "PUT"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	_, srv2 := newRecorder(t, http.StatusInternalServerError, strings.Repeat("x", 10000))
	err = Delete(context.Background(), srv2.URL, "j", nil)
	if !errors.As(err, &se) || se.StatusCode != 500 || len(se.Body) != maxErrorBody {
		t.Errorf("Delete against 500: err %v, body %d bytes", err, len(se.Body))
	}
}

func TestStatusErrorHidesPassword(t *testing.T) {
	_, srv := newRecorder(t, http.StatusUnauthorized, "no")
	base := strings.Replace(srv.URL, "http://", "http://user:hunter2@", 1)
	err := Delete(context.Background(), base, "j", nil)
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("err = %v, want an error without the password", err)
	}
}

// blockingServer answers only after the request's context ends, or after
// 5 s, so that tests never hang on it. It reads the body first: the server
// notices a closed connection, and cancels the context, only after that.
func blockingServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestContextCancellation(t *testing.T) {
	srv := blockingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := Push(ctx, srv.URL, "j", nil, []Metric{{Name: "m", Value: 1}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Push returned after %v", d)
	}
	// An already cancelled context sends nothing.
	err = Delete(ctx, srv.URL, "j", nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Delete with cancelled context: err = %v", err)
	}
}

func TestTimeoutOption(t *testing.T) {
	srv := blockingServer(t)
	err := Add(context.Background(), srv.URL, "j", nil, nil, WithTimeout(50*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

// countingTransport counts requests on their way to the wrapped transport.
type countingTransport struct {
	mu   sync.Mutex
	n    int
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

func TestHTTPClientOption(t *testing.T) {
	_, srv := newRecorder(t, http.StatusOK, "")
	tr := &countingTransport{next: srv.Client().Transport}
	client := &http.Client{Transport: tr}
	if err := Push(context.Background(), srv.URL, "j", nil, nil, WithHTTPClient(client)); err != nil {
		t.Fatal(err)
	}
	if err := Push(context.Background(), srv.URL, "j", nil, nil, WithHTTPClient(nil)); err != nil {
		t.Fatal(err)
	}
	if tr.n != 1 {
		t.Errorf("custom client saw %d requests, want 1", tr.n)
	}
}
