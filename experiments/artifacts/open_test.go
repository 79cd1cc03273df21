package artifacts

import (
	"path/filepath"
	"strings"
	"testing"
)

func setS3Env(t *testing.T, env map[string]string) {
	t.Helper()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
		"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, env[k])
	}
}

// Open makes a Dir of a path or file:// URL and an S3 store of an s3://
// URL configured from the AWS environment variables.
func TestOpen(t *testing.T) {
	root := t.TempDir()
	for _, uri := range []string{filepath.Join(root, "a"), "file://" + filepath.Join(root, "b")} {
		st, err := Open(uri)
		if err != nil {
			t.Fatalf("Open(%q): %v", uri, err)
		}
		if d, ok := st.(*Dir); !ok || !strings.HasPrefix(d.Root(), root) {
			t.Fatalf("Open(%q) = %#v", uri, st)
		}
	}
	setS3Env(t, map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_SESSION_TOKEN": "T",
		"AWS_ENDPOINT_URL": "http://generic:1", "AWS_ENDPOINT_URL_S3": "http://minio:9000"})
	for uri, want := range map[string][2]string{
		"s3://bkt":             {"bkt", ""},
		"s3://bkt/":            {"bkt", ""},
		"s3://bkt/team/vigil":  {"bkt", "team/vigil"},
		"s3://bkt/team/vigil/": {"bkt", "team/vigil"},
		"S3://bkt/x":           {"bkt", "x"},
	} {
		st, err := Open(uri)
		if err != nil {
			t.Fatalf("Open(%q): %v", uri, err)
		}
		s, ok := st.(*S3)
		if !ok || s.bucket != want[0] || s.prefix != want[1] || s.region != "us-east-1" ||
			s.endpoint.String() != "http://minio:9000" || s.cred != (credentials{"AK", "SK", "T"}) {
			t.Fatalf("Open(%q) = %+v", uri, st)
		}
	}
	setS3Env(t, map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_REGION": "eu-west-1",
		"AWS_ENDPOINT_URL": "http://generic:1"})
	st, err := Open("s3://bkt/p")
	if s, ok := st.(*S3); err != nil || !ok || s.region != "eu-west-1" || s.endpoint.Host != "generic:1" || s.cred.SessionToken != "" {
		t.Fatalf("AWS_ENDPOINT_URL and AWS_REGION: %+v %v", st, err)
	}
	setS3Env(t, map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"})
	if s, err := Open("s3://bkt"); err != nil || s.(*S3).endpoint != nil {
		t.Fatalf("no endpoint: %+v %v", s, err)
	}
	for uri, msg := range map[string]string{
		"":              "empty",
		"gs://bkt":      "unknown scheme",
		"s3://":         "bucket name",
		"s3://bkt/../x": "prefix",
		"file://host/x": "file:///",
	} {
		if _, err := Open(uri); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("Open(%q): %v, want an error mentioning %q", uri, err, msg)
		}
	}
	setS3Env(t, map[string]string{"AWS_ACCESS_KEY_ID": "AK"})
	if _, err := Open("s3://bkt"); err == nil || !strings.Contains(err.Error(), "AWS_SECRET_ACCESS_KEY") {
		t.Fatalf("missing credentials: %v", err)
	}
}
