package logins

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/experiments/tasks"
)

// testEnv is an environment writing to a temporary directory.
func testEnv(t *testing.T, seed uint64) tasks.Env {
	t.Helper()
	return tasks.Env{Name: "test", Kind: "ipinsights", Seed: seed, Out: t.TempDir(), Start: time.Now(), Log: slog.New(slog.DiscardHandler)}
}

// load loads the task with the defaults changed by edit.
func load(t *testing.T, seed uint64, edit func(*Config)) (*data, error) {
	t.Helper()
	m := Task{}.Sections()
	c, err := sections(m)
	if err != nil {
		t.Fatal(err)
	}
	edit(&c)
	d, err := Task{}.Load(context.Background(), m, testEnv(t, seed))
	if err != nil {
		return nil, err
	}
	return d.(*data), nil
}

// writeFile writes text to a file in a temporary directory.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// smallSynthetic is a synthetic config that loads in milliseconds.
func smallSynthetic(c *Config) {
	c.Data.Synthetic = SyntheticConfig{Users: 60, Networks: 40, ISPShare: 0.5, Days: 10, LoginScale: 10, LoginShape: 1, MaxLogins: 100}
}
