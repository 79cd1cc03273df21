package serve

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewRejectsBadArguments(t *testing.T) {
	if _, err := New(nil, Config{}); err == nil {
		t.Error("nil loader accepted")
	}
	load := func() (Model, error) { return errModel{}, nil }
	if _, err := New(load, Config{Timeout: -time.Second}); err == nil {
		t.Error("negative timeout accepted")
	}
}

func TestReloadFailureKeepsModel(t *testing.T) {
	v1 := fitIPModel(t, "v1", trainPairs...)
	var next Model = v1
	var nextErr error
	s, err := New(func() (Model, error) { return next, nextErr }, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	next, nextErr = nil, errors.New("checkpoint truncated")
	if err := s.Reload(); err == nil || !strings.Contains(err.Error(), "checkpoint truncated") {
		t.Errorf("Reload error %v", err)
	}
	next, nextErr = nil, nil
	if err := s.Reload(); err == nil {
		t.Error("nil model accepted")
	}
	if s.Model() != v1 {
		t.Errorf("model %v after failed reloads, want v1", s.Model())
	}
	if got := get(s.Handler(), "/ping").Code; got != http.StatusOK {
		t.Errorf("ping %d after failed reload", got)
	}
	if text := get(s.Handler(), "/metrics").Body.String(); !strings.Contains(text, `vigil_model_reloads_total{result="error"} 2`) {
		t.Errorf("failed reloads not counted:\n%s", text)
	}
}

// TestReloadInFlightKeepsModel checks that a request finishes on the model
// it started with while later requests see the new one.
func TestReloadInFlightKeepsModel(t *testing.T) {
	old := newGate(fitIPModel(t, "v1", "alice,10.0.0.1"))
	models := []Model{old, fitIPModel(t, "v2", "bob,10.0.0.1")}
	var calls atomic.Int32
	s, err := New(func() (Model, error) { return models[calls.Add(1)-1], nil }, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	body := "alice,10.0.0.1\nbob,10.0.0.1"
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- invoke(s.Handler(), "text/csv", "", body) }()
	within(t, old.entered, "the model to start scoring")
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	rec := invoke(s.Handler(), "text/csv", "", body)
	if got := dots(t, rec.Code, rec.Body.Bytes()); !slices.Equal(got, []float64{0, 1}) {
		t.Errorf("new request: %v, want v2's [0 1]", got)
	}
	close(old.release)
	rec = within(t, done, "the in-flight response")
	if got := dots(t, rec.Code, rec.Body.Bytes()); !slices.Equal(got, []float64{1, 0}) {
		t.Errorf("in-flight request: %v, want v1's [1 0]", got)
	}
}

// TestReloadUnderLoad swaps models while 8 clients hammer a real
// listener: no request may fail or mix models, and the last model wins.
func TestReloadUnderLoad(t *testing.T) {
	v1 := fitIPModel(t, "v1", "alice,10.0.0.1")
	v2 := fitIPModel(t, "v2", "bob,192.168.1.7")
	var calls atomic.Int64
	s, err := New(func() (Model, error) {
		if (calls.Add(1)-1)%2 == 0 {
			return v1, nil
		}
		return v2, nil
	}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	client := ts.Client()
	body := "alice,10.0.0.1\nbob,192.168.1.7"
	want1, want2 := []float64{1, 0}, []float64{0, 1}

	post := func() ([]float64, error) {
		resp, err := client.Post(ts.URL+"/invocations", "text/csv", strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, errors.New(resp.Status + ": " + string(b))
		}
		return parseDots(b)
	}

	var stop atomic.Bool
	var failed, seen1, seen2 atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for !stop.Load() {
				got, err := post()
				switch {
				case err != nil:
					failed.Add(1)
					t.Error(err)
				case slices.Equal(got, want1):
					seen1.Add(1)
				case slices.Equal(got, want2):
					seen2.Add(1)
				default:
					failed.Add(1)
					t.Errorf("mixed predictions %v", got)
				}
			}
		})
	}
	for range 7 { // ends on v2
		time.Sleep(15 * time.Millisecond)
		if err := s.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(15 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if failed.Load() != 0 || seen1.Load() == 0 || seen2.Load() == 0 {
		t.Errorf("failed %d, v1 answers %d, v2 answers %d", failed.Load(), seen1.Load(), seen2.Load())
	}
	got, err := post()
	if err != nil || !slices.Equal(got, want2) {
		t.Errorf("after the last swap: %v %v, want v2's %v", got, err, want2)
	}
	t.Logf("%d requests, %d on v1, %d on v2", seen1.Load()+seen2.Load(), seen1.Load(), seen2.Load())
}
