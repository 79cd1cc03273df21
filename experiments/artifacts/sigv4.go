package artifacts

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// AWS Signature Version 4 for S3, written from AWS's description
// ("Signature Calculations for the Authorization Header: Transferring
// Payload in a Single Chunk"). The payload is always hashed; the
// UNSIGNED-PAYLOAD form is not used.

const (
	sigAlgorithm  = "AWS4-HMAC-SHA256"
	amzDateFormat = "20060102T150405Z"
	amzDayFormat  = "20060102"
)

// credentials are an AWS access key pair and the optional session token
// of temporary credentials.
type credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string // "" for long-term keys
}

// hexSHA256 is the lower-case hex SHA-256 of b, SigV4's payload hash.
func hexSHA256(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// uriEncode percent-encodes s as S3 wants it: every byte but the
// unreserved A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex); '/' is
// kept unless encodeSlash is set (query names and values).
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// canonicalQuery is the query string sorted by name, then value, with
// names and values URI-encoded ('/' too).
func canonicalQuery(q url.Values) string {
	var pairs []string
	for name, values := range q {
		for _, v := range values {
			pairs = append(pairs, uriEncode(name, true)+"="+uriEncode(v, true))
		}
	}
	slices.Sort(pairs)
	return strings.Join(pairs, "&")
}

// canonicalHeaderValue trims a header value and collapses runs of spaces.
func canonicalHeaderValue(v string) string { return strings.Join(strings.Fields(v), " ") }

// canonicalRequest is SigV4's canonical request for a request to the
// decoded path with query q; headers maps each lower-case name in signed
// (sorted) to its value.
func canonicalRequest(method, path string, q url.Values, headers map[string]string, signed []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(method + "\n")
	if path == "" {
		path = "/"
	}
	b.WriteString(uriEncode(path, false) + "\n")
	b.WriteString(canonicalQuery(q) + "\n")
	for _, name := range signed {
		b.WriteString(name + ":" + canonicalHeaderValue(headers[name]) + "\n")
	}
	b.WriteString("\n" + strings.Join(signed, ";") + "\n")
	b.WriteString(payloadHash)
	return b.String()
}

// credentialScope is date/region/s3/aws4_request.
func credentialScope(day, region string) string { return day + "/" + region + "/s3/aws4_request" }

// signature is the hex HMAC of the string to sign under the key derived
// from secret for the day (YYYYMMDD) of amzDate and region.
func signature(secret, region, amzDate, canonical string) string {
	day := amzDate[:len(amzDayFormat)]
	toSign := sigAlgorithm + "\n" + amzDate + "\n" + credentialScope(day, region) + "\n" + hexSHA256([]byte(canonical))
	key := hmacSHA256([]byte("AWS4"+secret), day)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, "s3")
	key = hmacSHA256(key, "aws4_request")
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

// signedHeader reports whether the signer signs the header name (lower
// case): host, every x-amz-* header, and the few standard ones a request
// may carry whose change would alter its meaning.
func signedHeader(name string) bool {
	switch name {
	case "host", "range", "date", "content-type", "content-md5":
		return true
	}
	return strings.HasPrefix(name, "x-amz-")
}

// signRequest sets req's X-Amz-Date, X-Amz-Content-Sha256,
// X-Amz-Security-Token (with a session token) and Authorization headers
// for the payload whose hex SHA-256 is payloadHash, signed at now.
func signRequest(req *http.Request, cred credentials, region, payloadHash string, now time.Time) {
	amzDate := now.UTC().Format(amzDateFormat)
	req.Header.Set("X-Amz-Date", amzDate)
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	if cred.SessionToken != "" {
		req.Header.Set("X-Amz-Security-Token", cred.SessionToken)
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	headers := map[string]string{"host": host}
	for name, values := range req.Header {
		if lower := strings.ToLower(name); signedHeader(lower) && lower != "host" {
			headers[lower] = strings.Join(values, ",")
		}
	}
	signed := make([]string, 0, len(headers))
	for name := range headers {
		signed = append(signed, name)
	}
	slices.Sort(signed)
	canonical := canonicalRequest(req.Method, req.URL.Path, req.URL.Query(), headers, signed, payloadHash)
	sig := signature(cred.SecretAccessKey, region, amzDate, canonical)
	req.Header.Set("Authorization", fmt.Sprintf("%s Credential=%s/%s, SignedHeaders=%s, Signature=%s", sigAlgorithm,
		cred.AccessKeyID, credentialScope(amzDate[:len(amzDayFormat)], region), strings.Join(signed, ";"), sig))
}
