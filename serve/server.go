package serve

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
)

// A Server answers SageMaker's inference contract (/ping, /invocations)
// plus /metrics for the model its Loader last produced.
type Server struct {
	cfg      Config
	load     Loader
	current  atomic.Pointer[loaded]
	reloadMu sync.Mutex
	draining atomic.Bool
	metrics  *metrics
	handler  http.Handler
}

// loaded boxes a model so that it can be swapped atomically.
type loaded struct{ model Model }

// New returns a server that has no model yet: /ping answers 503 until
// the first successful Reload.
func New(load Loader, cfg Config) (*Server, error) {
	if load == nil {
		return nil, errors.New("serve: nil loader")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, load: load, metrics: newMetrics()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ping", s.ping)
	mux.HandleFunc("POST /invocations", s.invocations)
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	s.handler = s.instrument(mux)
	return s, nil
}

// Handler returns the server's HTTP handler, for use in tests or under
// another http.Server.
func (s *Server) Handler() http.Handler { return s.handler }

// Model returns the model now serving, or nil before the first load.
func (s *Server) Model() Model {
	if l := s.current.Load(); l != nil {
		return l.model
	}
	return nil
}

// Reload calls the Loader and, on success, swaps the new model in.
// Requests already running finish on the model they started with; on
// failure the old model keeps serving.
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	m, err := s.load()
	if err == nil && m == nil {
		err = errors.New("loader returned no model")
	}
	if err != nil {
		s.metrics.reload(false)
		s.cfg.Logger.Error("model reload failed", "err", err)
		return fmt.Errorf("serve: reload: %w", err)
	}
	old := s.current.Swap(&loaded{model: m})
	s.metrics.reload(true)
	prev := ""
	if old != nil {
		prev = old.model.Version()
	}
	s.cfg.Logger.Info("model loaded", "version", m.Version(), "previous", prev)
	return nil
}

// ping reports readiness: 200 with a model loaded, 503 before or while
// shutting down.
func (s *Server) ping(w http.ResponseWriter, r *http.Request) {
	switch {
	case s.draining.Load():
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
	case s.current.Load() == nil:
		http.Error(w, "model not loaded", http.StatusServiceUnavailable)
	default:
		w.WriteHeader(http.StatusOK)
	}
}
