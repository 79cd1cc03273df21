package serve

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPingBeforeAndAfterLoad(t *testing.T) {
	m := fitIPModel(t, "v1", trainPairs...)
	s, err := New(func() (Model, error) { return m, nil }, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got := get(s.Handler(), "/ping").Code; got != http.StatusServiceUnavailable {
		t.Errorf("ping before load: %d, want 503", got)
	}
	if got := invoke(s.Handler(), "text/csv", "", "alice,10.0.0.1").Code; got != http.StatusServiceUnavailable {
		t.Errorf("invocation before load: %d, want 503", got)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := get(s.Handler(), "/ping").Code; got != http.StatusOK {
		t.Errorf("ping after load: %d, want 200", got)
	}
}

func TestInvocationsContentTypes(t *testing.T) {
	h := loadedServer(t, fitIPModel(t, "v1", trainPairs...), Config{}).Handler()
	for _, c := range []struct {
		name, contentType, body string
		want                    []float64
	}{
		{"csv", "text/csv", "alice,10.0.0.1\nalice, 192.168.1.7\n\nbob,192.168.1.7\ncarol,10.0.0.1\n", []float64{1, 0, 1, 0}},
		{"csv charset and quotes", "text/csv; charset=utf-8", `"alice",10.0.0.1` + "\r\n", []float64{1}},
		{"csv mapped IPv4", "text/csv", "bob,::ffff:192.168.1.7", []float64{1}},
		{"json instances", "application/json",
			`{"instances":[{"features":["alice","10.0.0.1"]},{"data":{"features":{"values":["bob","10.0.0.1"]}}},{"features":["bob","192.168.1.7"]}]}`,
			[]float64{1, 0, 1}},
		{"json single data", "application/json", `{"data":{"features":{"values":["alice","10.0.0.1"]}}}`, []float64{1}},
		{"json single features", "application/json", `{"features":["carol","10.0.0.1"]}`, []float64{0}},
		{"json numeric entity", "application/json", `{"instances":[{"features":[42,"10.0.0.1"]}]}`, []float64{0}},
		{"jsonlines", "application/jsonlines",
			"{\"features\":[\"alice\",\"10.0.0.1\"]}\n\n{\"data\":{\"features\":{\"values\":[\"alice\",\"192.168.1.7\"]}}}\n{\"features\":[\"bob\",\"192.168.1.7\"]}",
			[]float64{1, 0, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := invoke(h, c.contentType, "", c.body)
			if ct := rec.Header().Get("Content-Type"); rec.Code == http.StatusOK && ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if got := dots(t, rec.Code, rec.Body.Bytes()); !slices.Equal(got, c.want) {
				t.Errorf("dot products %v, want %v", got, c.want)
			}
			if strings.Contains(rec.Body.String(), "embedding") {
				t.Errorf("embeddings without verbose: %s", rec.Body)
			}
		})
	}
}

func TestInvocationsVerbose(t *testing.T) {
	h := loadedServer(t, fitIPModel(t, "v1", trainPairs...), Config{}).Handler()
	for _, accept := range []string{"application/json; verbose=True", "application/json;verbose=true", "text/html, application/json; verbose=TRUE"} {
		rec := invoke(h, "text/csv", accept, "alice,10.0.0.1\ncarol,192.168.1.7")
		if rec.Code != http.StatusOK {
			t.Fatalf("%q: status %d: %s", accept, rec.Code, rec.Body)
		}
		var resp struct{ Predictions []wirePrediction }
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatal(err)
		}
		want := []wirePrediction{
			{1, entityEmbedding("alice"), []float32{10. / 255, 0, 0, 1. / 255}},
			{0, entityEmbedding("carol"), []float32{192. / 255, 168. / 255, 1. / 255, 7. / 255}},
		}
		if len(resp.Predictions) != len(want) {
			t.Fatalf("%q: %d predictions, want %d", accept, len(resp.Predictions), len(want))
		}
		for i, p := range resp.Predictions {
			if p.DotProduct != want[i].DotProduct || !slices.Equal(p.EntityEmbedding, want[i].EntityEmbedding) ||
				!slices.Equal(p.IPEmbedding, want[i].IPEmbedding) {
				t.Errorf("%q: prediction %d = %+v, want %+v", accept, i, p, want[i])
			}
		}
	}
}

func TestInvocationsJSONLinesResponse(t *testing.T) {
	h := loadedServer(t, fitIPModel(t, "v1", trainPairs...), Config{}).Handler()
	rec := invoke(h, "text/csv", "application/jsonlines", "alice,10.0.0.1\nbob,10.0.0.1")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/jsonlines" {
		t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if want := "{\"dot_product\":1}\n{\"dot_product\":0}\n"; rec.Body.String() != want {
		t.Errorf("body %q, want %q", rec.Body, want)
	}
}

func TestInvocationsBadRequest(t *testing.T) {
	h := loadedServer(t, fitIPModel(t, "v1", trainPairs...), Config{}).Handler()
	for _, c := range []struct {
		name, contentType, body, want string
	}{
		{"bad address", "text/csv", "a,10.0.0.1\nb,10.0.0.2\nc,10.0.0.3\nd,10.0.0.300\n", `record 3: "10.0.0.300" is not an IPv4 address`},
		{"ipv6", "text/csv", "a,::1", `record 0: "::1" is an IPv6 address; only IPv4 is supported`},
		{"three fields", "text/csv", "a,10.0.0.1\nb,10.0.0.2,x", "record 1: want 2 fields"},
		{"empty entity", "text/csv", ",10.0.0.1", "record 0: empty entity"},
		{"bare quote", "text/csv", "a\"b,10.0.0.1", "record 0: "},
		{"empty csv", "text/csv", "", "no records"},
		{"malformed json", "application/json", `{"instances":[`, "malformed JSON body"},
		{"trailing json", "application/json", `{"features":["a","10.0.0.1"]} x`, "trailing data"},
		{"no instances", "application/json", `{}`, `no "instances"`},
		{"empty instances", "application/json", `{"instances":[]}`, "no records"},
		{"one feature", "application/json", `{"instances":[{"features":["a","10.0.0.1"]},{"features":["b"]}]}`, "record 1: want 2 features"},
		{"no features", "application/json", `{"instances":[{"x":1}]}`, `record 0: no "features"`},
		{"bool entity", "application/json", `{"features":[true,"10.0.0.1"]}`, "record 0: entity true is not a string or number"},
		{"numeric address", "application/json", `{"features":["a",167772161]}`, "record 0: address 167772161 is not a string"},
		{"json bad address", "application/json", `{"instances":[{"features":["a","10.0.0.1"]},{"features":["b","10.0.0.256"]}]}`, `record 1: "10.0.0.256" is not an IPv4 address`},
		{"jsonlines malformed", "application/jsonlines", "{\"features\":[\"a\",\"10.0.0.1\"]}\n{\"features\":", "record 1: malformed JSON line"},
		{"jsonlines ipv6", "application/jsonlines", "{\"features\":[\"a\",\"10.0.0.1\"]}\n\n{\"features\":[\"a\",\"1.2.3.4\"]}\n{\"features\":[\"b\",\"fe80::1\"]}", `record 2: "fe80::1" is an IPv6 address`},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := invoke(h, c.contentType, "", c.body)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("got %d %q, want 400 containing %q", rec.Code, rec.Body, c.want)
			}
		})
	}
}

func TestInvocationsTooLarge(t *testing.T) {
	h := loadedServer(t, fitIPModel(t, "v1", trainPairs...), Config{MaxBodyBytes: 64}).Handler()
	body := strings.Repeat("alice,10.0.0.1\n", 10) // 150 bytes
	if rec := invoke(h, "text/csv", "", body); rec.Code != http.StatusRequestEntityTooLarge ||
		!strings.Contains(rec.Body.String(), "64-byte limit") {
		t.Errorf("with Content-Length: %d %q, want 413", rec.Code, rec.Body)
	}
	// Without a Content-Length the limit applies while reading.
	req := httptest.NewRequest(http.MethodPost, "/invocations", strings.NewReader(body))
	req.Header.Set("Content-Type", "text/csv")
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked: %d %q, want 413", rec.Code, rec.Body)
	}
	if rec := invoke(h, "text/csv", "", "alice,10.0.0.1"); rec.Code != http.StatusOK {
		t.Errorf("small body: %d %q", rec.Code, rec.Body)
	}
}

func TestInvocationsUnsupportedMediaType(t *testing.T) {
	h := loadedServer(t, fitIPModel(t, "v1", trainPairs...), Config{}).Handler()
	for _, ct := range []string{"", "text/plain", "application/x-recordio-protobuf", "not a type;;"} {
		if rec := invoke(h, ct, "", "alice,10.0.0.1"); rec.Code != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Type %q: %d %q, want 415", ct, rec.Code, rec.Body)
		}
	}
}

func TestInvocationsDeadline(t *testing.T) {
	g := newGate(fitIPModel(t, "v1", trainPairs...))
	defer close(g.release)
	h := loadedServer(t, g, Config{Timeout: 30 * time.Millisecond}).Handler()
	rec := invoke(h, "text/csv", "", "alice,10.0.0.1")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "within the 30ms deadline") {
		t.Errorf("got %d %q, want 503 naming the deadline", rec.Code, rec.Body)
	}
}

func TestInvocationsModelError(t *testing.T) {
	h := loadedServer(t, errModel{}, Config{}).Handler()
	rec := invoke(h, "text/csv", "", "alice,10.0.0.1")
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "weights missing") {
		t.Errorf("got %d %q, want 500", rec.Code, rec.Body)
	}
}

// panicModel panics in Score.
type panicModel struct{ errModel }

func (panicModel) Score([]Record) ([]Prediction, error) { panic("index out of range") }

// shortModel returns too few predictions.
type shortModel struct{ errModel }

func (shortModel) Score([]Record) ([]Prediction, error) { return []Prediction{{}}, nil }

func TestInvocationsModelMisbehaves(t *testing.T) {
	for _, m := range []Model{panicModel{}, shortModel{}} {
		h := loadedServer(t, m, Config{}).Handler()
		if rec := invoke(h, "text/csv", "", "a,10.0.0.1\nb,10.0.0.2"); rec.Code != http.StatusInternalServerError {
			t.Errorf("%T: got %d %q, want 500", m, rec.Code, rec.Body)
		}
	}
}

func TestWrongMethod(t *testing.T) {
	h := loadedServer(t, fitIPModel(t, "v1", trainPairs...), Config{}).Handler()
	if rec := get(h, "/invocations"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /invocations: %d, want 405", rec.Code)
	}
}
