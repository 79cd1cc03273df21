package artifacts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// S3Config locates a bucket and the credentials to use it.
type S3Config struct {
	Bucket string // required
	// Prefix is the key prefix the store lives under ("" for the whole
	// bucket); a slash-separated relative path without a trailing slash.
	Prefix string
	// Region signs the requests; "" means us-east-1.
	Region string
	// Endpoint is the base URL of an S3-compatible server such as MinIO
	// ("http://minio:9000"), addressed path-style (Endpoint/bucket/key);
	// "" means AWS, addressed virtual-hosted style
	// (https://bucket.s3.region.amazonaws.com/key).
	Endpoint string
	// AccessKeyID and SecretAccessKey are required; SessionToken is set
	// for temporary credentials only.
	AccessKeyID, SecretAccessKey, SessionToken string
	// CacheDir is the local directory Checkout downloads into (key k is
	// CacheDir/k); "" means a new directory under os.TempDir, made on the
	// first Checkout.
	CacheDir string
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
}

// S3 is a Store in an S3 bucket (or an S3-compatible server): key k is
// the object Prefix/k. Put is one PutObject (up to S3's 5 GiB limit for a
// single PUT), Get one GetObject and List a ListObjectsV2 walk; Checkout
// downloads a prefix's objects into the local cache directory and Commit
// uploads a directory's files. Objects whose keys are not valid store
// keys (console "folder" markers ending in '/', say) are left out of List
// and Checkout.
type S3 struct {
	bucket, prefix, region string
	endpoint               *url.URL // nil: AWS, virtual-hosted style
	cred                   credentials
	client                 *http.Client
	now                    func() time.Time

	mu       sync.Mutex
	cacheDir string              // "" until the first Checkout when not configured
	fetched  map[string][32]byte // key → SHA-256 of the content Checkout or Commit left in the cache
}

// NewS3 checks cfg and returns its store; it sends no request.
func NewS3(cfg S3Config) (*S3, error) {
	if cfg.Bucket == "" || strings.ContainsAny(cfg.Bucket, "/ ") {
		return nil, fmt.Errorf("artifacts: bucket name %q is empty or not a bucket name", cfg.Bucket)
	}
	if cfg.Prefix != "" {
		if err := checkKey(cfg.Prefix, false); err != nil {
			return nil, fmt.Errorf("artifacts: bucket prefix: %w", err)
		}
	}
	if cfg.AccessKeyID == "" || cfg.SecretAccessKey == "" {
		return nil, errors.New("artifacts: an S3 store needs an access key id and a secret access key")
	}
	s := &S3{bucket: cfg.Bucket, prefix: cfg.Prefix, region: cfg.Region, client: cfg.Client, now: time.Now,
		cred:     credentials{AccessKeyID: cfg.AccessKeyID, SecretAccessKey: cfg.SecretAccessKey, SessionToken: cfg.SessionToken},
		cacheDir: cfg.CacheDir, fetched: map[string][32]byte{}}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.client == nil {
		s.client = http.DefaultClient
	}
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			return nil, fmt.Errorf("artifacts: S3 endpoint %q is not an http(s)://host[:port] URL", cfg.Endpoint)
		}
		s.endpoint = u
	}
	return s, nil
}

// objectKey is key's object key in the bucket.
func (s *S3) objectKey(key string) string {
	switch {
	case s.prefix == "":
		return key
	case key == "":
		return s.prefix
	}
	return s.prefix + "/" + key
}

// URI is s3://bucket/ followed by key's object key.
func (s *S3) URI(key string) string { return "s3://" + s.bucket + "/" + s.objectKey(key) }

// objectURL is the URL of the object key in the bucket; "" is the bucket
// itself (ListObjectsV2).
func (s *S3) objectURL(object string) *url.URL {
	var u url.URL
	if s.endpoint == nil {
		u = url.URL{Scheme: "https", Host: s.bucket + ".s3." + s.region + ".amazonaws.com", Path: "/" + object}
	} else {
		u = url.URL{Scheme: s.endpoint.Scheme, Host: s.endpoint.Host,
			Path: strings.TrimSuffix(s.endpoint.Path, "/") + "/" + s.bucket}
		if object != "" {
			u.Path += "/" + object
		}
	}
	u.RawPath = uriEncode(u.Path, false) // sent as signed
	return &u
}

// responseError is an S3 reply outside 2xx, with its XML error's Code and
// Message when it has one.
type responseError struct {
	Method, URL   string
	Status        string
	StatusCode    int
	Code, Message string
}

func (e *responseError) Error() string {
	msg := fmt.Sprintf("s3 %s %s: %s", e.Method, e.URL, e.Status)
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// noSuchKey reports whether the reply says the object does not exist.
func (e *responseError) noSuchKey() bool {
	return e.Code == "NoSuchKey" || (e.Code == "" && e.StatusCode == http.StatusNotFound)
}

// send signs and sends a request with body (nil for none) and returns the
// body of a 2xx reply, or a *responseError.
func (s *S3) send(ctx context.Context, method string, u *url.URL, body []byte) ([]byte, error) {
	u.RawQuery = canonicalQuery(u.Query()) // sent as signed
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.ContentLength = int64(len(body))
	if body == nil {
		req.Body, req.GetBody = http.NoBody, nil
	}
	signRequest(req, s.cred, s.region, hexSHA256(body), s.now())
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("s3 %s %s: reading the reply: %w", method, u.Redacted(), err)
	}
	if resp.StatusCode/100 != 2 {
		e := &responseError{Method: method, URL: u.Redacted(), Status: resp.Status, StatusCode: resp.StatusCode}
		var x struct{ Code, Message string }
		if xml.Unmarshal(data, &x) == nil { // a reply without an XML error keeps its status alone
			e.Code, e.Message = x.Code, x.Message
		}
		return nil, e
	}
	return data, nil
}

// Put uploads data as key's object with one PutObject; S3 replaces an
// object whole, so a reader never sees part of it.
func (s *S3) Put(ctx context.Context, key string, data []byte) error {
	if err := checkKey(key, false); err != nil {
		return err
	}
	if data == nil {
		data = []byte{}
	}
	if _, err := s.send(ctx, http.MethodPut, s.objectURL(s.objectKey(key)), data); err != nil {
		return fmt.Errorf("artifacts: put %s: %w", key, err)
	}
	return nil
}

// Get downloads key's object with GetObject.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKey(key, false); err != nil {
		return nil, err
	}
	data, err := s.send(ctx, http.MethodGet, s.objectURL(s.objectKey(key)), nil)
	var re *responseError
	if errors.As(err, &re) && re.noSuchKey() {
		return nil, fmt.Errorf("artifacts: get %s: %w (%w)", key, ErrNotFound, err)
	}
	if err != nil {
		return nil, fmt.Errorf("artifacts: get %s: %w", key, err)
	}
	return data, nil
}

// listPage is the part of a ListObjectsV2 reply List reads.
type listPage struct {
	Contents []struct {
		Key string `xml:"Key"`
	} `xml:"Contents"`
	IsTruncated           bool   `xml:"IsTruncated"`
	NextContinuationToken string `xml:"NextContinuationToken"`
}

// List walks ListObjectsV2 pages under prefix's object key plus "/",
// following continuation tokens.
func (s *S3) List(ctx context.Context, prefix string) ([]string, error) {
	if err := checkKey(prefix, true); err != nil {
		return nil, err
	}
	objectPrefix := s.objectKey(prefix)
	if objectPrefix != "" {
		objectPrefix += "/"
	}
	storePrefix := ""
	if s.prefix != "" {
		storePrefix = s.prefix + "/"
	}
	var keys []string
	token := ""
	for {
		u := s.objectURL("")
		q := url.Values{"list-type": {"2"}, "prefix": {objectPrefix}}
		if token != "" {
			q.Set("continuation-token", token)
		}
		u.RawQuery = q.Encode()
		data, err := s.send(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, fmt.Errorf("artifacts: list %s: %w", prefix, err)
		}
		var page listPage
		if err := xml.Unmarshal(data, &page); err != nil {
			return nil, fmt.Errorf("artifacts: list %s: the ListObjectsV2 reply: %w", prefix, err)
		}
		for _, c := range page.Contents {
			key, ok := strings.CutPrefix(c.Key, storePrefix)
			if ok && checkKey(key, false) == nil {
				keys = append(keys, key)
			}
		}
		if !page.IsTruncated {
			break
		}
		if page.NextContinuationToken == "" || page.NextContinuationToken == token {
			return nil, fmt.Errorf("artifacts: list %s: a truncated ListObjectsV2 reply without a new continuation token", prefix)
		}
		token = page.NextContinuationToken
	}
	slices.Sort(keys)
	return slices.Compact(keys), nil
}

// cache returns the local cache directory, making it when needed.
func (s *S3) cache() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cacheDir != "" {
		return s.cacheDir, os.MkdirAll(s.cacheDir, 0o755)
	}
	dir, err := os.MkdirTemp("", "vigil-artifacts-")
	if err != nil {
		return "", err
	}
	s.cacheDir = dir
	return dir, nil
}

// remember records the content the cache holds for key; unchanged
// reports whether data is that content.
func (s *S3) remember(key string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fetched[key] = sha256.Sum256(data)
}

func (s *S3) unchanged(key string, data []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.fetched[key]
	return ok && h == sha256.Sum256(data)
}

// Checkout downloads every object under prefix into the cache directory,
// keeping the layout (key k is the file cache/k), and returns prefix's
// directory there, created even when prefix holds nothing.
func (s *S3) Checkout(ctx context.Context, prefix string) (string, error) {
	if err := checkKey(prefix, false); err != nil {
		return "", err
	}
	root, err := s.cache()
	if err != nil {
		return "", fmt.Errorf("artifacts: checkout %s: %w", prefix, err)
	}
	dir := filepath.Join(root, filepath.FromSlash(prefix))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("artifacts: checkout %s: %w", prefix, err)
	}
	keys, err := s.List(ctx, prefix)
	if err != nil {
		return "", fmt.Errorf("artifacts: checkout %s: %w", prefix, err)
	}
	for _, key := range keys {
		data, err := s.Get(ctx, key)
		if err != nil {
			return "", fmt.Errorf("artifacts: checkout %s: %w", prefix, err)
		}
		p := filepath.Join(root, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", fmt.Errorf("artifacts: checkout %s: %w", prefix, err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return "", fmt.Errorf("artifacts: checkout %s: %w", prefix, err)
		}
		s.remember(key, data)
	}
	return dir, nil
}

// Commit uploads every regular file under dir as prefix/relpath, leaving
// out those whose content is what Checkout downloaded (or an earlier
// Commit uploaded). Files deleted from dir are not deleted from the bucket.
func (s *S3) Commit(ctx context.Context, prefix, dir string) error {
	if err := checkKey(prefix, false); err != nil {
		return err
	}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		key := prefix + "/" + filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if s.unchanged(key, data) {
			return nil
		}
		if err := s.Put(ctx, key, data); err != nil {
			return err
		}
		s.remember(key, data)
		return nil
	})
	if err != nil {
		return fmt.Errorf("artifacts: commit %s: %w", prefix, err)
	}
	return nil
}
