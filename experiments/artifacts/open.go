package artifacts

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// Open returns the store uri names:
//
//   - a plain path, or a file:// URL (file:///mnt/vigil): a Dir there;
//   - s3://bucket or s3://bucket/prefix: an S3 store, with credentials
//     from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (both required)
//     and AWS_SESSION_TOKEN (optional), the region from AWS_REGION
//     (default us-east-1), and the server from AWS_ENDPOINT_URL_S3, else
//     AWS_ENDPOINT_URL, for MinIO and other S3-compatible servers
//     (default: AWS itself). Checkouts go under a new directory in
//     os.TempDir.
//
// Any other scheme is an error.
func Open(uri string) (Store, error) {
	if uri == "" {
		return nil, errors.New("artifacts: empty store location")
	}
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok {
		return NewDir(uri)
	}
	switch strings.ToLower(scheme) {
	case "file":
		u, err := url.Parse(uri)
		if err != nil || (u.Host != "" && u.Host != "localhost") || u.Path == "" {
			return nil, fmt.Errorf("artifacts: store %q: want file:///absolute/path", uri)
		}
		return NewDir(u.Path)
	case "s3":
		bucket, prefix, _ := strings.Cut(rest, "/")
		cfg := S3Config{Bucket: bucket, Prefix: strings.TrimSuffix(prefix, "/"),
			Region:      os.Getenv("AWS_REGION"),
			AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
			SessionToken: os.Getenv("AWS_SESSION_TOKEN"), Endpoint: os.Getenv("AWS_ENDPOINT_URL_S3")}
		if cfg.Endpoint == "" {
			cfg.Endpoint = os.Getenv("AWS_ENDPOINT_URL")
		}
		if cfg.AccessKeyID == "" || cfg.SecretAccessKey == "" {
			return nil, fmt.Errorf("artifacts: store %s: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set", uri)
		}
		s, err := NewS3(cfg)
		if err != nil {
			return nil, fmt.Errorf("artifacts: store %s: %w", uri, err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("artifacts: store %q: unknown scheme %q (a path, file:// or s3://)", uri, scheme)
}
