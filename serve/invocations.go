package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
)

// Error reasons, the label values of vigil_invocation_errors_total.
const (
	reasonBadRequest  = "bad_request"
	reasonTooLarge    = "too_large"
	reasonMediaType   = "unsupported_media_type"
	reasonTimeout     = "timeout"
	reasonModel       = "model"
	reasonNotReady    = "not_ready"
	reasonClientGone  = "client_gone"
	reasonWriteFailed = "write"
)

// errorReasons lists every reason, so that /metrics shows zeros too.
func errorReasons() []string {
	return []string{reasonBadRequest, reasonTooLarge, reasonMediaType, reasonTimeout,
		reasonModel, reasonNotReady, reasonClientGone, reasonWriteFailed}
}

// invocations scores the records in the body with the model current when
// the request arrived.
func (s *Server) invocations(w http.ResponseWriter, r *http.Request) {
	cur := s.current.Load()
	if cur == nil {
		s.fail(w, http.StatusServiceUnavailable, reasonNotReady, "model not loaded")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
	defer cancel()
	decode, err := decoderFor(r.Header.Get("Content-Type"))
	if err != nil {
		s.fail(w, http.StatusUnsupportedMediaType, reasonMediaType, err.Error())
		return
	}
	body, ok := s.readBody(ctx, w, r)
	if !ok {
		return
	}
	recs, err := decode(body)
	if err != nil {
		s.fail(w, http.StatusBadRequest, reasonBadRequest, err.Error())
		return
	}
	preds, err := score(ctx, cur.model, recs)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		s.fail(w, http.StatusServiceUnavailable, reasonTimeout,
			fmt.Sprintf("scoring %d records did not finish within the %v deadline", len(recs), s.cfg.Timeout))
		return
	case errors.Is(err, context.Canceled):
		s.fail(w, http.StatusServiceUnavailable, reasonClientGone, "request cancelled")
		return
	case err != nil:
		s.cfg.Logger.Error("model failed", "version", cur.model.Version(), "records", len(recs), "err", err)
		s.fail(w, http.StatusInternalServerError, reasonModel, "model error: "+err.Error())
		return
	case len(preds) != len(recs):
		s.cfg.Logger.Error("model returned wrong count", "version", cur.model.Version(), "records", len(recs), "predictions", len(preds))
		s.fail(w, http.StatusInternalServerError, reasonModel,
			fmt.Sprintf("model error: %d predictions for %d records", len(preds), len(recs)))
		return
	}
	format := parseAccept(r.Header.Get("Accept"))
	out, err := encode(preds, format)
	if err != nil {
		s.fail(w, http.StatusInternalServerError, reasonModel, "model error: "+err.Error())
		return
	}
	s.metrics.scored(len(recs))
	w.Header().Set("Content-Type", format.contentType())
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	if _, err := w.Write(out); err != nil {
		s.metrics.fail(reasonWriteFailed)
	}
}

// readBody reads the body within the size limit and the deadline,
// answering the client itself when it cannot.
func (s *Server) readBody(ctx context.Context, w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	limit := s.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		s.fail(w, http.StatusRequestEntityTooLarge, reasonTooLarge, tooLarge(limit))
		return nil, false
	}
	if dl, ok := ctx.Deadline(); ok {
		// Not every ResponseWriter supports deadlines; then only the
		// scoring step is bounded.
		_ = http.NewResponseController(w).SetReadDeadline(dl)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.fail(w, http.StatusRequestEntityTooLarge, reasonTooLarge, tooLarge(limit))
		return nil, false
	case errors.Is(err, os.ErrDeadlineExceeded):
		s.fail(w, http.StatusServiceUnavailable, reasonTimeout,
			fmt.Sprintf("reading the body did not finish within the %v deadline", s.cfg.Timeout))
		return nil, false
	case err != nil:
		s.fail(w, http.StatusBadRequest, reasonBadRequest, "reading body: "+err.Error())
		return nil, false
	}
	return body, true
}

// tooLarge is the 413 message.
func tooLarge(limit int64) string {
	return fmt.Sprintf("request body exceeds the %d-byte limit", limit)
}

// fail writes a plain-text error and counts it.
func (s *Server) fail(w http.ResponseWriter, code int, reason, msg string) {
	s.metrics.fail(reason)
	http.Error(w, msg, code)
}

// score runs the model, giving up when ctx ends. The model cannot be
// interrupted, so a late call finishes in the background and is dropped.
// A panicking model becomes an error rather than a crashed process.
func score(ctx context.Context, m Model, recs []Record) ([]Prediction, error) {
	type result struct {
		preds []Prediction
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- result{err: fmt.Errorf("panic: %v", p)}
			}
		}()
		preds, err := m.Score(recs)
		ch <- result{preds, err}
	}()
	select {
	case res := <-ch:
		return res.preds, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
