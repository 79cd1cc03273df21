package pushgateway

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ContentType is the Content-Type of pushed bodies: the text exposition
// format 0.0.4.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// DefaultTimeout bounds each Push, Add or Delete call unless WithTimeout
// says otherwise.
const DefaultTimeout = 10 * time.Second

// maxErrorBody is how many bytes of a rejected request's response body are
// kept in a StatusError.
const maxErrorBody = 4096

// settings are the effect of the Options of one call.
type settings struct {
	client       *http.Client
	timeout      time.Duration
	basicAuth    bool
	user, passwd string
}

// Option changes how a request is sent.
type Option func(*settings)

// WithHTTPClient sends requests with client instead of http.DefaultClient;
// nil means http.DefaultClient.
func WithHTTPClient(client *http.Client) Option {
	return func(s *settings) { s.client = client }
}

// WithTimeout bounds the whole call, response body included, to d instead
// of DefaultTimeout (10 s). Zero or a negative d sets no bound beyond the
// context's and the client's own.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) { s.timeout = d }
}

// WithBasicAuth sends HTTP basic authentication with every request.
func WithBasicAuth(user, password string) Option {
	return func(s *settings) {
		s.basicAuth = true
		s.user, s.passwd = user, password
	}
}

// StatusError is returned when the Pushgateway answers with a status
// outside 2xx. Body holds the start of the response body (up to 4 KiB), in
// which the Pushgateway explains why it rejected the request.
type StatusError struct {
	Method     string // PUT, POST or DELETE
	URL        string // the request URL, without credentials
	StatusCode int    // e.g. 400
	Status     string // e.g. "400 Bad Request"
	Body       string
}

func (e *StatusError) Error() string {
	body := strings.TrimSpace(e.Body)
	if body == "" {
		return fmt.Sprintf("pushgateway: %s %s: %s", e.Method, e.URL, e.Status)
	}
	return fmt.Sprintf("pushgateway: %s %s: %s: %s", e.Method, e.URL, e.Status, body)
}

// Push replaces all metrics of the group (job plus grouping) on the
// Pushgateway at baseURL (e.g. "http://localhost:9091") with metrics, by
// PUT. An empty metrics slice empties the group but, unlike Delete, updates
// its push_time_seconds. Invalid input is reported, wrapping ErrInvalid,
// before anything is sent; a non-2xx answer is a *StatusError.
func Push(ctx context.Context, baseURL, job string, grouping map[string]string, metrics []Metric, opts ...Option) error {
	return send(ctx, http.MethodPut, baseURL, job, grouping, metrics, opts)
}

// Add is like Push but sends POST, which replaces only the metrics of the
// group that have the same names as those in metrics and keeps the rest.
func Add(ctx context.Context, baseURL, job string, grouping map[string]string, metrics []Metric, opts ...Option) error {
	return send(ctx, http.MethodPost, baseURL, job, grouping, metrics, opts)
}

// Delete removes all metrics of the group (job plus grouping) by DELETE.
// Deleting a group that does not exist is not an error.
func Delete(ctx context.Context, baseURL, job string, grouping map[string]string, opts ...Option) error {
	return send(ctx, http.MethodDelete, baseURL, job, grouping, nil, opts)
}

// send validates its input, builds the URL and body, and sends one request.
func send(ctx context.Context, method, baseURL, job string, grouping map[string]string, metrics []Metric, opts []Option) error {
	s := settings{client: http.DefaultClient, timeout: DefaultTimeout}
	for _, opt := range opts {
		opt(&s)
	}
	if s.client == nil {
		s.client = http.DefaultClient
	}
	target, err := groupURL(baseURL, job, grouping)
	if err != nil {
		return err
	}
	shown := target // for messages, without a password from baseURL
	if u, err := url.Parse(target); err == nil {
		shown = u.Redacted()
	}
	var body []byte
	if method != http.MethodDelete {
		reserved := map[string]bool{"job": true}
		for name := range grouping {
			reserved[name] = true
		}
		if body, err = encodeText(metrics, reserved); err != nil {
			return err
		}
	}

	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	var reqBody io.Reader
	if body != nil {
		reqBody = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reqBody)
	if err != nil {
		return fmt.Errorf("pushgateway: %s %s: %w", method, shown, err)
	}
	if method != http.MethodDelete {
		req.Header.Set("Content-Type", ContentType)
	}
	if s.basicAuth {
		req.SetBasicAuth(s.user, s.passwd)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("pushgateway: %s %s: %w", method, shown, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		// Drain so the connection can be reused; the body says nothing more.
		if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)); err != nil {
			return fmt.Errorf("pushgateway: %s %s: reading response: %w", method, shown, err)
		}
		return nil
	}
	msg, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return fmt.Errorf("pushgateway: %s %s: %s, reading response body: %w", method, shown, resp.Status, err)
	}
	return &StatusError{Method: method, URL: shown, StatusCode: resp.StatusCode, Status: resp.Status, Body: string(msg)}
}

// groupURL returns <baseURL>/metrics/job/<job>{/<label>/<value>} with the
// grouping labels sorted by name and each job name or value encoded as the
// Pushgateway expects (see the package documentation).
func groupURL(baseURL, job string, grouping map[string]string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", fmt.Errorf("%w: base URL %q: %v", ErrInvalid, baseURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("%w: base URL %q is not an http(s) URL with a host", ErrInvalid, baseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: base URL %q has a query or fragment", ErrInvalid, baseURL)
	}
	if job == "" {
		return "", fmt.Errorf("%w: empty job name", ErrInvalid)
	}
	names := make([]string, 0, len(grouping))
	for name := range grouping {
		if !validLabelName(name) {
			return "", fmt.Errorf("%w: grouping label name %q does not match [a-zA-Z_][a-zA-Z0-9_]* or starts with __", ErrInvalid, name)
		}
		if name == "job" {
			return "", fmt.Errorf("%w: grouping label \"job\": pass the job name as job", ErrInvalid)
		}
		names = append(names, name)
	}
	slices.Sort(names)

	var b strings.Builder
	b.WriteString(strings.TrimRight(u.String(), "/"))
	b.WriteString("/metrics")
	writeSegment(&b, "job", job)
	for _, name := range names {
		writeSegment(&b, name, grouping[name])
	}
	return b.String(), nil
}

// writeSegment appends /<name>/<value>, or /<name>@base64/<encoded> for
// a value that is empty, contains '/', or is "." or ".." (which path
// cleaning in an HTTP router would remove).
func writeSegment(b *strings.Builder, name, value string) {
	b.WriteByte('/')
	b.WriteString(name)
	switch {
	case value == "":
		b.WriteString("@base64/=")
	case strings.Contains(value, "/") || value == "." || value == "..":
		b.WriteString("@base64/")
		b.WriteString(base64.RawURLEncoding.EncodeToString([]byte(value)))
	default:
		b.WriteByte('/')
		b.WriteString(url.PathEscape(value))
	}
}
