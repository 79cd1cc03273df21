package checkpoints

import (
	"fmt"
	"os"
	"path/filepath"
)

// syncDir fsyncs a directory so that renames and creations inside it are durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return fmt.Errorf("checkpoints: sync %s: %w", dir, err)
	}
	if err := d.Close(); err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	return nil
}

// createSynced creates path, lets write fill it, then fsyncs and closes it.
func createSynced(path string, write func(f *os.File) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("checkpoints: sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	return nil
}

// writeFileAtomic replaces path with data: it writes a synced temporary file
// beside it and renames it into place.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("checkpoints: write %s: %w", path, werr)
	}
	return syncDir(dir)
}
