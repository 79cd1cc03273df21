package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/eval/baseline"
)

// ipModel scores with the exact-address IP table: DotProduct is 1 for a
// pair seen in training and 0 otherwise, like a high dot product for a
// familiar login.
type ipModel struct {
	table   *baseline.IPTableModel
	version string
}

// fitIPModel trains on "entity,IPv4" pairs.
func fitIPModel(t testing.TB, version string, pairs ...string) *ipModel {
	t.Helper()
	var ents []string
	var ips []netip.Addr
	for _, p := range pairs {
		e, ip, _ := strings.Cut(p, ",")
		ents = append(ents, e)
		ips = append(ips, netip.MustParseAddr(ip))
	}
	tab, err := baseline.IPTable{Prefix: 32}.Fit(ents, ips)
	if err != nil {
		t.Fatal(err)
	}
	return &ipModel{table: tab, version: version}
}

func (m *ipModel) Version() string { return m.version }

func (m *ipModel) Score(recs []Record) ([]Prediction, error) {
	out := make([]Prediction, len(recs))
	for i, r := range recs {
		s, err := m.table.Score(r.Entity, r.IP)
		if err != nil {
			return nil, err
		}
		out[i] = Prediction{DotProduct: 1 - s, EntityEmbedding: entityEmbedding(r.Entity), IPEmbedding: ipEmbedding(r.IP)}
	}
	return out, nil
}

// entityEmbedding is a small deterministic vector from the entity's hash.
func entityEmbedding(e string) []float32 {
	h := fnv.New32a()
	h.Write([]byte(e))
	v := h.Sum32()
	return []float32{float32(v&0xff) / 255, float32(v>>8&0xff) / 255}
}

// ipEmbedding is the address's octets scaled to [0, 1].
func ipEmbedding(ip netip.Addr) []float32 {
	b := ip.As4()
	return []float32{float32(b[0]) / 255, float32(b[1]) / 255, float32(b[2]) / 255, float32(b[3]) / 255}
}

// gateModel blocks each Score call until release is closed, after
// signalling entered.
type gateModel struct {
	Model
	entered chan struct{}
	release chan struct{}
}

func newGate(m Model) *gateModel {
	return &gateModel{Model: m, entered: make(chan struct{}, 16), release: make(chan struct{})}
}

func (g *gateModel) Score(recs []Record) ([]Prediction, error) {
	g.entered <- struct{}{}
	<-g.release
	return g.Model.Score(recs)
}

// errModel always fails.
type errModel struct{}

func (errModel) Score([]Record) ([]Prediction, error) { return nil, errors.New("weights missing") }
func (errModel) Version() string                      { return "broken" }

// trainPairs is the default training set.
var trainPairs = []string{"alice,10.0.0.1", "bob,192.168.1.7"}

// loaded returns a server already serving m.
func loadedServer(t testing.TB, m Model, cfg Config) *Server {
	t.Helper()
	s, err := New(func() (Model, error) { return m, nil }, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	return s
}

// invoke posts body to /invocations through the handler.
func invoke(h http.Handler, contentType, accept, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/invocations", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// get requests path through the handler.
func get(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// wirePrediction is one decoded prediction.
type wirePrediction struct {
	DotProduct      float64   `json:"dot_product"`
	EntityEmbedding []float32 `json:"entity_embedding"`
	IPEmbedding     []float32 `json:"ip_embedding"`
}

// dots decodes a 200 JSON response's dot products.
func dots(t testing.TB, code int, body []byte) []float64 {
	t.Helper()
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	out, err := parseDots(body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// parseDots decodes a JSON response's dot products.
func parseDots(body []byte) ([]float64, error) {
	var resp struct{ Predictions []wirePrediction }
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("decoding %q: %v", body, err)
	}
	out := make([]float64, len(resp.Predictions))
	for i, p := range resp.Predictions {
		out[i] = p.DotProduct
	}
	return out, nil
}

// within receives from ch, failing the test after two seconds instead of
// hanging.
func within[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(2 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}
