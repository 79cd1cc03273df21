package serve

import (
	"context"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// serveLocal starts s.Serve on a loopback listener and returns its
// address, a cancel for its context and the channel of Serve's result.
func serveLocal(t *testing.T, s *Server) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	return ln.Addr().String(), cancel, done
}

// response is a finished client request.
type response struct {
	code int
	body []byte
	err  error
}

// postAsync posts a CSV body on a fresh connection.
func postAsync(addr, body string) <-chan response {
	out := make(chan response, 1)
	go func() {
		client := &http.Client{Transport: &http.Transport{}}
		defer client.CloseIdleConnections()
		resp, err := client.Post("http://"+addr+"/invocations", "text/csv", strings.NewReader(body))
		if err != nil {
			out <- response{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		out <- response{resp.StatusCode, b, err}
	}()
	return out
}

// waitRefused polls until addr refuses connections.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.Close()
	}
	t.Fatal("new connections still accepted after cancel")
}

func TestServeDrainsInFlight(t *testing.T) {
	g := newGate(fitIPModel(t, "v1", trainPairs...))
	s := loadedServer(t, g, Config{ShutdownGrace: 3 * time.Second})
	addr, cancel, done := serveLocal(t, s)
	defer cancel()

	pending := postAsync(addr, "alice,10.0.0.1\ncarol,10.0.0.1")
	within(t, g.entered, "the model to start scoring")
	cancel()
	waitRefused(t, addr)
	if code := get(s.Handler(), "/ping").Code; code != http.StatusServiceUnavailable {
		t.Errorf("ping while draining: %d, want 503", code)
	}
	select {
	case err := <-done:
		t.Fatalf("Serve returned before the request finished: %v", err)
	default:
	}
	close(g.release)
	r := within(t, pending, "the in-flight response")
	if r.err != nil {
		t.Fatalf("in-flight request failed: %v", r.err)
	}
	if got := dots(t, r.code, r.body); !slices.Equal(got, []float64{1, 0}) {
		t.Errorf("in-flight request: %v, want [1 0]", got)
	}
	if err := within(t, done, "Serve to return"); err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestServeGraceExpires(t *testing.T) {
	g := newGate(fitIPModel(t, "v1", trainPairs...))
	defer close(g.release)
	s := loadedServer(t, g, Config{ShutdownGrace: 50 * time.Millisecond})
	addr, cancel, done := serveLocal(t, s)
	defer cancel()

	pending := postAsync(addr, "alice,10.0.0.1")
	within(t, g.entered, "the model to start scoring")
	cancel()
	if err := within(t, done, "Serve to return"); err == nil || !strings.Contains(err.Error(), "grace period") {
		t.Errorf("Serve: %v, want a grace-period error", err)
	}
	if r := within(t, pending, "the cut-off request"); r.err == nil {
		t.Errorf("request past the grace period answered %d", r.code)
	}
}

func TestRunBadAddress(t *testing.T) {
	s := loadedServer(t, errModel{}, Config{})
	if err := s.Run(context.Background(), "127.0.0.1:-1"); err == nil {
		t.Error("bad address accepted")
	}
}

func TestRunServes(t *testing.T) {
	s := loadedServer(t, fitIPModel(t, "v1", trainPairs...), Config{ShutdownGrace: time.Second})
	// Reserve a free port, then hand it to Run.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, addr) }()
	var resp *http.Response
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + "/ping"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("ping %d", resp.StatusCode)
	}
	http.DefaultClient.CloseIdleConnections()
	cancel()
	if err := within(t, done, "Serve to return"); err != nil {
		t.Errorf("Run: %v", err)
	}
}
