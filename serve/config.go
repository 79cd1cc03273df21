package serve

import (
	"fmt"
	"log/slog"
	"time"
)

// Defaults used for zero Config fields.
const (
	DefaultMaxBodyBytes  = 5 << 20
	DefaultTimeout       = 60 * time.Second
	DefaultShutdownGrace = 30 * time.Second
)

// Config tunes a Server. The zero value is usable.
type Config struct {
	// MaxBodyBytes caps an /invocations request body; larger ones get 413.
	MaxBodyBytes int64
	// Timeout is the per-request deadline for reading and scoring an
	// /invocations request; past it the client gets 503.
	Timeout time.Duration
	// ShutdownGrace is how long Run waits for in-flight requests after
	// its context is cancelled before closing connections.
	ShutdownGrace time.Duration
	// Logger receives reload, shutdown and model-error events; nil
	// discards them.
	Logger *slog.Logger
}

// withDefaults validates c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	if c.MaxBodyBytes < 0 || c.Timeout < 0 || c.ShutdownGrace < 0 {
		return c, fmt.Errorf("serve: negative limit in config %+v", c)
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.ShutdownGrace == 0 {
		c.ShutdownGrace = DefaultShutdownGrace
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
