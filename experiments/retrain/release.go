package retrain

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// releasesDir is where a served directory's releases live.
func releasesDir(served string) string { return filepath.Clean(served) + ".releases" }

// Current is the release (a run directory) the served directory points
// to. A plain run directory is its own release.
func Current(served string) (string, error) {
	fi, err := os.Lstat(served)
	if err != nil {
		return "", err
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		if !fi.IsDir() {
			return "", fmt.Errorf("%s is neither a run directory nor a link to one", served)
		}
		return filepath.Abs(served)
	}
	target, err := os.Readlink(served)
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(served), target)
	}
	return filepath.Clean(target), nil
}

// adopt turns a plain run directory into the first release, served
// through a link; a link is left as it is.
func adopt(served string) error {
	fi, err := os.Lstat(served)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil
	}
	rel := releasesDir(served)
	if err := os.MkdirAll(rel, 0o755); err != nil {
		return err
	}
	first := filepath.Join(rel, "initial")
	if _, err := os.Stat(first); err == nil {
		return fmt.Errorf("%s exists; move it away to adopt %s", first, served)
	}
	if err := os.Rename(served, first); err != nil {
		return err
	}
	if err := stamp(first); err != nil {
		return err
	}
	return swap(served, first)
}

// swap points the served link at release atomically: a new link under a
// temporary name renamed over the old one, then the release's VERSION
// file written (temporary file, rename), which starts `vigil serve`'s
// reload (see serve.Watch).
func swap(served, release string) error {
	abs, err := filepath.Abs(release)
	if err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.swap-%d", filepath.Clean(served), os.Getpid())
	_ = os.Remove(tmp)
	if err := os.Symlink(abs, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, served); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	version := filepath.Join(abs, "VERSION")
	vtmp := version + ".tmp"
	line := fmt.Sprintf("%s %s\n", filepath.Base(abs), time.Now().UTC().Format(time.RFC3339Nano))
	if err := os.WriteFile(vtmp, []byte(line), 0o644); err != nil {
		return err
	}
	return os.Rename(vtmp, version)
}

// Rollback points the served directory at the release served most
// recently before the current one (by the releases' PROMOTED stamps) and
// returns it; a second rollback therefore undoes the first.
func Rollback(served string) (string, error) {
	cur, err := Current(served)
	if err != nil {
		return "", err
	}
	prev, err := previous(served, cur)
	if err != nil {
		return "", err
	}
	if err := swap(served, prev); err != nil {
		return "", err
	}
	return prev, stamp(prev)
}

// previous is the release promoted last before cur.
func previous(served, cur string) (string, error) {
	entries, err := os.ReadDir(releasesDir(served))
	if err != nil {
		return "", fmt.Errorf("%s has no releases to roll back to: %w", served, err)
	}
	type rel struct {
		path string
		at   time.Time
	}
	var rels []rel
	for _, e := range entries {
		p := filepath.Join(releasesDir(served), e.Name())
		if !e.IsDir() || p == cur {
			continue
		}
		b, err := os.ReadFile(filepath.Join(p, "PROMOTED"))
		if err != nil {
			continue // trained, never served
		}
		at, err := time.Parse(time.RFC3339Nano, string(trimNL(b)))
		if err != nil {
			continue
		}
		rels = append(rels, rel{p, at})
	}
	if len(rels) == 0 {
		return "", errors.New("no earlier served release to roll back to")
	}
	sort.Slice(rels, func(i, j int) bool { return rels[i].at.After(rels[j].at) })
	return rels[0].path, nil
}

// stamp records that release was put into service now.
func stamp(release string) error {
	return os.WriteFile(filepath.Join(release, "PROMOTED"), []byte(time.Now().UTC().Format(time.RFC3339Nano)+"\n"), 0o644)
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// Promote points the served directory at release (a run directory) by
// hand and returns it.
func Promote(served, release string) (string, error) {
	if _, err := os.Stat(filepath.Join(release, "config.json")); err != nil {
		return "", fmt.Errorf("%s is not a run directory: %w", release, err)
	}
	if err := adopt(served); err != nil {
		return "", err
	}
	if err := swap(served, release); err != nil {
		return "", err
	}
	abs, _ := filepath.Abs(release)
	return abs, stamp(abs)
}
