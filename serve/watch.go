package serve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Watch loads the model, then polls dir every interval and calls Reload
// when its model signal changes, until ctx is cancelled (then it returns
// nil). The signal is the file named VERSION when dir has one (its
// content and modification time), otherwise the newest entry (name, size
// and modification time). A failed reload is logged and counted, and
// keeps the old model (or none: /ping stays 503); the next change retries.
//
// Promotion protocol: write the new model next to the old one under a
// temporary name on the same file system, then rename it atomically
// over the name the Loader reads; last, write VERSION the same way
// (temporary file, then rename). A reader thus never sees a half-written
// file, and the change of VERSION starts the reload.
func (s *Server) Watch(ctx context.Context, dir string, interval time.Duration) error {
	if interval <= 0 {
		return fmt.Errorf("serve: watch interval %v is not positive", interval)
	}
	last, err := modelSignal(dir)
	if err != nil {
		return fmt.Errorf("serve: watch: %w", err)
	}
	// The signal is taken before loading, so a change during the load
	// is seen on the next poll. Reload logs and counts its own failures.
	_ = s.Reload()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		sig, err := modelSignal(dir)
		if err != nil {
			s.cfg.Logger.Warn("model watch", "dir", dir, "err", err)
			continue
		}
		if sig == last {
			continue
		}
		last = sig
		_ = s.Reload()
	}
}

// modelSignal fingerprints dir's model signal.
func modelSignal(dir string) (string, error) {
	vpath := filepath.Join(dir, "VERSION")
	if info, err := os.Stat(vpath); err == nil {
		b, err := os.ReadFile(vpath)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("VERSION %q %d", b, info.ModTime().UnixNano()), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var newest os.FileInfo
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue // removed since ReadDir
		}
		if newest == nil || info.ModTime().After(newest.ModTime()) {
			newest = info
		}
	}
	if newest == nil {
		return "empty", nil
	}
	return fmt.Sprintf("entry %q %d %d", newest.Name(), newest.Size(), newest.ModTime().UnixNano()), nil
}
