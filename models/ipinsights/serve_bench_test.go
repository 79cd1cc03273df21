package ipinsights

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	stdnet "net"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/datasets/logins"
	"github.com/vigil-ml/vigil/serve"
)

// Sizes of the serving benchmarks: records per batched request, distinct
// pre-built bodies of each kind, and clients sending single records.
const (
	serveBatch         = 1000
	serveBatchBodies   = 32
	serveSingleRecords = 4096
	serveSingleClients = 8
)

// serveBench holds the benchmark-size model, built once for all serving
// benchmarks (it never changes while they run).
var serveBench struct {
	once sync.Once
	m    *Model
}

func serveBenchModel(b *testing.B) *Model {
	serveBench.once.Do(func() { serveBench.m, _, _ = benchModel(b) })
	if serveBench.m == nil {
		b.Fatal("no benchmark model")
	}
	return serveBench.m
}

// benchRecords returns n (entity, address) records of varied entities
// and addresses, and each as a CSV line.
func benchRecords(n int, seed uint64) ([]serve.Record, [][]byte) {
	rng := rand.New(rand.NewPCG(seed, seed))
	recs, lines := make([]serve.Record, n), make([][]byte, n)
	for i := range recs {
		e := fmt.Sprintf("user%05d", rng.IntN(20000))
		ip := logins.IPv4FromUint32(rng.Uint32())
		recs[i] = serve.Record{Entity: e, IP: ip}
		lines[i] = fmt.Appendf(nil, "%s,%s\n", e, ip)
	}
	return recs, lines
}

// startServer serves m on a localhost TCP port until the benchmark ends
// and returns the /invocations URL and a client that keeps up to conns
// connections open.
func startServer(b *testing.B, m *Model, conns int) (string, *http.Client) {
	srv, err := serve.New(func() (serve.Model, error) { return m.Served("bench"), nil }, serve.Config{})
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Reload(); err != nil {
		b.Fatal(err)
	}
	ln, err := stdnet.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: true}}
	b.Cleanup(func() {
		client.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	})
	return "http://" + ln.Addr().String() + "/invocations", client
}

// invoke posts a CSV body and checks that the answer is 200 with n
// predictions.
func invoke(c *http.Client, url string, body []byte, n int) error {
	resp, err := c.Post(url, "text/csv", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, bytes.TrimSpace(out))
	}
	if !bytes.HasPrefix(out, []byte(`{"predictions":[`)) {
		return fmt.Errorf("answer %.80q is not {\"predictions\": [...]}", out)
	}
	if got := bytes.Count(out, []byte(`"dot_product":`)); got != n {
		return fmt.Errorf("%d predictions for %d records", got, n)
	}
	return nil
}

// checkJSON posts body once and checks that the answer parses as n
// predictions with finite dot products.
func checkJSON(b *testing.B, c *http.Client, url string, body []byte, n int) {
	resp, err := c.Post(url, "text/csv", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var ans struct {
		Predictions []struct {
			DotProduct *float64 `json:"dot_product"`
		} `json:"predictions"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	if len(ans.Predictions) != n {
		b.Fatalf("%d predictions for %d records", len(ans.Predictions), n)
	}
	for i, p := range ans.Predictions {
		if p.DotProduct == nil || math.IsNaN(*p.DotProduct) || math.IsInf(*p.DotProduct, 0) {
			b.Fatalf("prediction %d: dot product %v", i, p.DotProduct)
		}
	}
}

// drive runs do(i) for i in [0, n) on c concurrent workers and returns
// the first error, after which the workers stop.
func drive(n, c int, do func(i int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := do(i); err != nil {
					once.Do(func() { first = err })
					next.Store(int64(n))
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// reportLatency reports the median and 99th percentile of lat (sorted in
// place) in milliseconds.
func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	q := func(p float64) float64 {
		i := max(int(math.Ceil(p*float64(len(lat))))-1, 0)
		return float64(lat[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(0.50), "p50_ms")
	b.ReportMetric(q(0.99), "p99_ms")
}

// BenchmarkServeBatched sends b.N /invocations requests of 1,000 CSV
// records over localhost TCP from GOMAXPROCS*2 clients and reports
// records scored per second.
func BenchmarkServeBatched(b *testing.B) {
	m := serveBenchModel(b)
	clients := runtime.GOMAXPROCS(0) * 2
	url, client := startServer(b, m, clients)
	bodies := make([][]byte, serveBatchBodies)
	for k := range bodies {
		_, lines := benchRecords(serveBatch, uint64(10+k))
		bodies[k] = bytes.Join(lines, nil)
	}
	checkJSON(b, client, url, bodies[0], serveBatch)
	if err := drive(clients, clients, func(i int) error { return invoke(client, url, bodies[i%len(bodies)], serveBatch) }); err != nil {
		b.Fatal(err) // warm-up: one connection per client
	}
	b.ResetTimer()
	err := drive(b.N, clients, func(i int) error { return invoke(client, url, bodies[i%len(bodies)], serveBatch) })
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(serveBatch*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkServeSingle sends b.N single-record /invocations requests over
// localhost TCP from 8 clients and reports the latency percentiles and
// requests per second.
func BenchmarkServeSingle(b *testing.B) {
	m := serveBenchModel(b)
	url, client := startServer(b, m, serveSingleClients)
	_, bodies := benchRecords(serveSingleRecords, 5)
	checkJSON(b, client, url, bodies[0], 1)
	if err := drive(4*serveSingleClients, serveSingleClients, func(i int) error { return invoke(client, url, bodies[i], 1) }); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	err := drive(b.N, serveSingleClients, func(i int) error {
		start := time.Now()
		err := invoke(client, url, bodies[i%len(bodies)], 1)
		lat[i] = time.Since(start)
		return err
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	reportLatency(b, lat)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}

// BenchmarkScoreInProcessSingle scores BenchmarkServeSingle's records one
// at a time through the served model without HTTP, from the same 8
// workers, and reports the latency percentiles and records per second.
func BenchmarkScoreInProcessSingle(b *testing.B) {
	s := serveBenchModel(b).Served("x")
	recs, _ := benchRecords(serveSingleRecords, 5)
	score := func(r serve.Record) error {
		preds, err := s.Score([]serve.Record{r})
		if err == nil && len(preds) != 1 {
			err = fmt.Errorf("%d predictions for 1 record", len(preds))
		}
		return err
	}
	if err := drive(4*serveSingleClients, serveSingleClients, func(i int) error { return score(recs[i]) }); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	err := drive(b.N, serveSingleClients, func(i int) error {
		start := time.Now()
		err := score(recs[i%len(recs)])
		lat[i] = time.Since(start)
		return err
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	reportLatency(b, lat)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
