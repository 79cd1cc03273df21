package artifacts

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The two single-chunk examples of AWS's "Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk" (S3 API
// reference): GET Object with a Range header, and PUT Object with Date and
// x-amz-storage-class headers and a '$' in the key.
func TestSignRequestAWSExamples(t *testing.T) {
	cred := credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	at := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, method, url, body string
		headers                 map[string]string
		signedHeaders, sig      string
	}{
		{name: "GET Object", method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt",
			headers:       map[string]string{"Range": "bytes=0-9"},
			signedHeaders: "host;range;x-amz-content-sha256;x-amz-date",
			sig:           "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
		{name: "PUT Object", method: "PUT", url: "https://examplebucket.s3.amazonaws.com/test$file.text",
			body: "Welcome to Amazon S3.",
			headers: map[string]string{"Date": "Fri, 24 May 2013 00:00:00 GMT",
				"X-Amz-Storage-Class": "REDUCED_REDUNDANCY"},
			signedHeaders: "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
			sig:           "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range c.headers {
				req.Header.Set(k, v)
			}
			signRequest(req, cred, "us-east-1", hexSHA256([]byte(c.body)), at)
			want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
				"SignedHeaders=" + c.signedHeaders + ", Signature=" + c.sig
			if got := req.Header.Get("Authorization"); got != want {
				t.Fatalf("Authorization\n got %s\nwant %s", got, want)
			}
		})
	}
	if h := hexSHA256([]byte("Welcome to Amazon S3.")); h != "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072" {
		t.Fatalf("payload hash %s", h)
	}
}

func TestURIEncode(t *testing.T) {
	for in, want := range map[string]string{
		"/test$file.text": "/test%24file.text",
		"/a b/c~d_e-f.g":  "/a%20b/c~d_e-f.g",
		"/é+=":            "/%C3%A9%2B%3D",
	} {
		if got := uriEncode(in, false); got != want {
			t.Errorf("uriEncode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := uriEncode("a/b", true); got != "a%2Fb" {
		t.Errorf("query encoding of a slash: %q", got)
	}
}
