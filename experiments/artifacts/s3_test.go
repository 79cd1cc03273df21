package artifacts

import (
	"context"
	"crypto/hmac"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAccessKey = "AKIDTEST"
	testSecret    = "secret/TEST+key"
	testBucket    = "bucket"
)

// fakeS3 is an S3-compatible server for one bucket holding PutObject,
// GetObject and ListObjectsV2 (two keys a page), which checks every
// request's SigV4 signature against the test credentials.
type fakeS3 struct {
	t       *testing.T
	mu      sync.Mutex
	objects map[string][]byte
	tokens  []string // X-Amz-Security-Token of each request served, so one entry a request
	lists   int      // ListObjectsV2 pages served
}

func newFakeS3(t *testing.T) (*fakeS3, *httptest.Server) {
	f := &fakeS3{t: t, objects: map[string][]byte{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func writeS3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, msg)
}

// verify recomputes the request's signature; it returns why the request
// is refused, or "".
func (f *fakeS3) verify(r *http.Request, body []byte) string {
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), sigAlgorithm+" ")
	if !ok {
		return "no AWS4-HMAC-SHA256 Authorization header"
	}
	fields := map[string]string{}
	for _, part := range strings.Split(auth, ", ") {
		k, v, _ := strings.Cut(part, "=")
		fields[k] = v
	}
	amzDate := r.Header.Get("X-Amz-Date")
	if _, err := time.Parse(amzDateFormat, amzDate); err != nil {
		return "bad X-Amz-Date"
	}
	if fields["Credential"] != testAccessKey+"/"+credentialScope(amzDate[:8], "us-east-1") {
		return "bad credential scope " + fields["Credential"]
	}
	if r.Header.Get("X-Amz-Content-Sha256") != hexSHA256(body) {
		return "X-Amz-Content-Sha256 is not the body's hash"
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	for _, need := range []string{"host", "x-amz-content-sha256", "x-amz-date"} {
		if !slices.Contains(signed, need) {
			return need + " is not signed"
		}
	}
	if r.Header.Get("X-Amz-Security-Token") != "" && !slices.Contains(signed, "x-amz-security-token") {
		return "x-amz-security-token is not signed"
	}
	headers := map[string]string{}
	for _, name := range signed {
		headers[name] = strings.Join(r.Header.Values(name), ",")
	}
	headers["host"] = r.Host
	canonical := canonicalRequest(r.Method, r.URL.Path, r.URL.Query(), headers, signed, hexSHA256(body))
	if want := signature(testSecret, "us-east-1", amzDate, canonical); !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return "the signature does not match"
	}
	return ""
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeS3Error(w, http.StatusBadRequest, "IncompleteBody", err.Error())
		return
	}
	if why := f.verify(r, body); why != "" {
		writeS3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", why)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = append(f.tokens, r.Header.Get("X-Amz-Security-Token"))
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if bucket != testBucket {
		writeS3Error(w, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
		return
	}
	switch {
	case r.Method == http.MethodPut && key != "":
		f.objects[key] = body
	case r.Method == http.MethodGet && key == "" && r.URL.Query().Get("list-type") == "2":
		f.list(w, r)
	case r.Method == http.MethodGet && key != "":
		b, ok := f.objects[key]
		if !ok {
			writeS3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
			return
		}
		w.Write(b)
	default:
		writeS3Error(w, http.StatusNotImplemented, "NotImplemented", r.Method+" "+r.URL.String())
	}
}

// list serves a ListObjectsV2 page of at most two keys; the continuation
// token is the last key served.
func (f *fakeS3) list(w http.ResponseWriter, r *http.Request) {
	f.lists++
	q := r.URL.Query()
	var keys []string
	for k := range f.objects {
		if strings.HasPrefix(k, q.Get("prefix")) && k > q.Get("continuation-token") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	type content struct{ Key string }
	page := struct {
		XMLName               xml.Name  `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
		IsTruncated           bool      `xml:"IsTruncated"`
		Contents              []content `xml:"Contents"`
		NextContinuationToken string    `xml:"NextContinuationToken,omitempty"`
	}{}
	if len(keys) > 2 {
		keys, page.IsTruncated, page.NextContinuationToken = keys[:2], true, keys[1]
	}
	for _, k := range keys {
		page.Contents = append(page.Contents, content{k})
	}
	w.Header().Set("Content-Type", "application/xml")
	if err := xml.NewEncoder(w).Encode(page); err != nil {
		f.t.Error(err)
	}
}

func newTestS3(t *testing.T, endpoint, prefix string, edit func(*S3Config)) *S3 {
	t.Helper()
	cfg := S3Config{Bucket: testBucket, Prefix: prefix, Endpoint: endpoint, AccessKeyID: testAccessKey,
		SecretAccessKey: testSecret, CacheDir: t.TempDir()}
	if edit != nil {
		edit(&cfg)
	}
	s, err := NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// An S3 store against a server that checks signatures behaves as a Store,
// under the bucket's root and under a prefix, paging through listings.
func TestS3(t *testing.T) {
	for _, prefix := range []string{"", "team/vigil"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			f, srv := newFakeS3(t)
			s := newTestS3(t, srv.URL, prefix, nil)
			var _ Store = s
			testStoreBehaviour(t, s)
			if f.lists < 3 {
				t.Errorf("%d ListObjectsV2 pages: the listings did not page", f.lists)
			}
			object := "s/trial-0002/metrics.json"
			if prefix != "" {
				object = prefix + "/" + object
			}
			if _, ok := f.objects[object]; !ok {
				t.Errorf("no object %s among %v", object, slices.Sorted(maps.Keys(f.objects)))
			}
			want := "s3://bucket/s/base.yaml"
			if prefix != "" {
				want = "s3://bucket/team/vigil/s/base.yaml"
			}
			if got := s.URI("s/base.yaml"); got != want {
				t.Errorf("URI %s, want %s", got, want)
			}
		})
	}
}

// A nested run directory goes up with Commit and comes back whole with
// Checkout on another machine (another cache); unchanged files are not
// uploaded again.
func TestS3CheckoutCommitRoundTrip(t *testing.T) {
	ctx := context.Background()
	f, srv := newFakeS3(t)
	writer := newTestS3(t, srv.URL, "p", nil)
	dir, err := writer.Checkout(ctx, "sweep/trial-0001")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"metrics.json": "{}", "ckpt/step-100/model.bin": "weights", "ckpt/latest": "100",
		"name with space+plus.txt": "odd"}
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := writer.Commit(ctx, "sweep/trial-0001", dir); err != nil {
		t.Fatal(err)
	}
	puts := len(f.tokens)
	if err := writer.Commit(ctx, "sweep/trial-0001", dir); err != nil {
		t.Fatal(err)
	}
	if len(f.tokens) != puts {
		t.Errorf("a second Commit of unchanged files sent %d requests", len(f.tokens)-puts)
	}
	reader := newTestS3(t, srv.URL, "p", nil)
	back, err := reader.Checkout(ctx, "sweep/trial-0001")
	if err != nil {
		t.Fatal(err)
	}
	if back == dir {
		t.Fatal("two caches share a directory")
	}
	n := 0
	err = filepath.WalkDir(back, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(back, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if want, ok := files[filepath.ToSlash(rel)]; !ok || string(b) != want {
			t.Errorf("checked out %s = %q, want %q", rel, b, want)
		}
		n++
		return nil
	})
	if err != nil || n != len(files) {
		t.Fatalf("checked out %d of %d files: %v", n, len(files), err)
	}
	if err := os.WriteFile(filepath.Join(back, "metrics.json"), []byte(`{"loss":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	before := len(f.tokens)
	if err := reader.Commit(ctx, "sweep/trial-0001", back); err != nil {
		t.Fatal(err)
	}
	if len(f.tokens)-before != 1 {
		t.Errorf("Commit after one change sent %d requests, want 1", len(f.tokens)-before)
	}
	if b, err := writer.Get(ctx, "sweep/trial-0001/metrics.json"); err != nil || string(b) != `{"loss":1}` {
		t.Fatalf("changed file: %q %v", b, err)
	}
}

// Errors: a missing object is ErrNotFound with S3's code; a wrong secret
// is refused with SignatureDoesNotMatch; a missing bucket is not
// ErrNotFound.
func TestS3Errors(t *testing.T) {
	ctx := context.Background()
	_, srv := newFakeS3(t)
	s := newTestS3(t, srv.URL, "", nil)
	_, err := s.Get(ctx, "none")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "NoSuchKey") || !strings.Contains(err.Error(), "404") {
		t.Fatalf("missing object: %v", err)
	}
	wrong := newTestS3(t, srv.URL, "", func(c *S3Config) { c.SecretAccessKey = "wrong" })
	err = wrong.Put(ctx, "k", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") || !strings.Contains(err.Error(), "403") {
		t.Fatalf("wrong secret: %v", err)
	}
	if _, err := wrong.List(ctx, ""); err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Fatalf("wrong secret, list: %v", err)
	}
	other := newTestS3(t, srv.URL, "", func(c *S3Config) { c.Bucket = "other" })
	if _, err := other.Get(ctx, "k"); err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "NoSuchBucket") {
		t.Fatalf("missing bucket: %v", err)
	}
}

// Temporary credentials send their session token, signed.
func TestS3SessionToken(t *testing.T) {
	f, srv := newFakeS3(t)
	s := newTestS3(t, srv.URL, "", func(c *S3Config) { c.SessionToken = "tok/en+=" })
	if err := s.Put(context.Background(), "k", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if len(f.tokens) != 1 || f.tokens[0] != "tok/en+=" {
		t.Fatalf("session tokens seen: %q", f.tokens)
	}
}

// Without an endpoint the store addresses AWS virtual-hosted style.
func TestS3AWSAddressing(t *testing.T) {
	s := newTestS3(t, "", "pre", func(c *S3Config) { c.Region = "eu-west-1" })
	if got := s.objectURL(s.objectKey("a b/c$")).String(); got != "https://bucket.s3.eu-west-1.amazonaws.com/pre/a%20b/c%24" {
		t.Fatalf("object URL %s", got)
	}
	m := newTestS3(t, "http://minio:9000/", "", nil)
	if got := m.objectURL("k").String(); got != "http://minio:9000/bucket/k" {
		t.Fatalf("path-style URL %s", got)
	}
}
