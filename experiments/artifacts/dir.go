package artifacts

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// tempPrefix starts the name of a file Put has not renamed into place yet.
const tempPrefix = ".artifacts-tmp-"

// Dir is a Store in a directory of a shared filesystem: key k is the file
// Root/k. Every machine must mount the filesystem at the same path, since
// the run registry records trial directories by that path.
type Dir struct {
	root string // absolute
}

// NewDir returns the store rooted at root, creating the directory. A
// relative root is made absolute against the working directory.
func NewDir(root string) (*Dir, error) {
	if root == "" {
		return nil, errors.New("artifacts: empty store directory")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("artifacts: %w", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("artifacts: %w", err)
	}
	return &Dir{root: abs}, nil
}

// Root is the store's absolute directory.
func (d *Dir) Root() string { return d.root }

func (d *Dir) path(key string) string { return filepath.Join(d.root, filepath.FromSlash(key)) }

// URI is key's absolute path.
func (d *Dir) URI(key string) string { return d.path(key) }

// Put writes data to a temporary file beside key's and renames it into
// place, so that concurrent readers see the old file or the new one.
func (d *Dir) Put(_ context.Context, key string, data []byte) error {
	if err := checkKey(key, false); err != nil {
		return err
	}
	p := d.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("artifacts: put %s: %w", key, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), tempPrefix+filepath.Base(p)+"-*")
	if err != nil {
		return fmt.Errorf("artifacts: put %s: %w", key, err)
	}
	_, werr := f.Write(data)
	if err := errors.Join(werr, f.Chmod(0o644), f.Close()); err != nil {
		return errors.Join(fmt.Errorf("artifacts: put %s: %w", key, err), os.Remove(f.Name()))
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return errors.Join(fmt.Errorf("artifacts: put %s: %w", key, err), os.Remove(f.Name()))
	}
	return nil
}

// Get reads key's file.
func (d *Dir) Get(_ context.Context, key string) ([]byte, error) {
	if err := checkKey(key, false); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(d.path(key))
	if err != nil {
		return nil, fmt.Errorf("artifacts: get %s: %w", key, err)
	}
	return b, nil
}

// List walks prefix's directory; temporary files of unfinished Puts are
// left out.
func (d *Dir) List(_ context.Context, prefix string) ([]string, error) {
	if err := checkKey(prefix, true); err != nil {
		return nil, err
	}
	var keys []string
	err := filepath.WalkDir(d.path(prefix), func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == d.path(prefix) {
				return fs.SkipAll
			}
			return err
		}
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), tempPrefix) {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		keys = append(keys, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("artifacts: list %s: %w", prefix, err)
	}
	slices.Sort(keys)
	return keys, nil
}

// Checkout creates and returns prefix's directory: a Dir store is the
// directory, so writes land in the store as they happen.
func (d *Dir) Checkout(_ context.Context, prefix string) (string, error) {
	if err := checkKey(prefix, false); err != nil {
		return "", err
	}
	p := d.path(prefix)
	if err := os.MkdirAll(p, 0o755); err != nil {
		return "", fmt.Errorf("artifacts: checkout %s: %w", prefix, err)
	}
	return p, nil
}

// Commit has nothing to publish for a Dir store; it checks that dir is
// prefix's directory.
func (d *Dir) Commit(_ context.Context, prefix, dir string) error {
	if err := checkKey(prefix, false); err != nil {
		return err
	}
	if filepath.Clean(dir) != d.path(prefix) {
		return fmt.Errorf("artifacts: commit %s: %s is not its checkout %s", prefix, dir, d.path(prefix))
	}
	return nil
}
