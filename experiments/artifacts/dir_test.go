package artifacts

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// testStoreBehaviour checks what every Store does: it writes, replaces,
// reads back and lists files by key, reports a missing key as
// ErrNotFound, refuses keys that leave the store, and publishes what a
// trial writes in a checkout. st must be empty.
func testStoreBehaviour(t *testing.T, st Store) {
	t.Helper()
	ctx := context.Background()
	for _, k := range []string{"s/trial-0001/point.json", "s/base.yaml", "s/trial-0000/point.json", "sx/other"} {
		if err := st.Put(ctx, k, []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Put(ctx, "s/base.yaml", []byte("v2")); err != nil {
		t.Fatal(err)
	}
	if b, err := st.Get(ctx, "s/base.yaml"); err != nil || string(b) != "v2" {
		t.Fatalf("get: %q %v", b, err)
	}
	if _, err := st.Get(ctx, "s/none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing key: %v", err)
	}
	keys, err := st.List(ctx, "s")
	want := []string{"s/base.yaml", "s/trial-0000/point.json", "s/trial-0001/point.json"}
	if err != nil || !slices.Equal(keys, want) {
		t.Fatalf("list: %v %v, want %v", keys, err, want)
	}
	if keys, err := st.List(ctx, ""); err != nil || len(keys) != 4 {
		t.Fatalf("list of the whole store: %v %v", keys, err)
	}
	if keys, err := st.List(ctx, "nothing/here"); err != nil || len(keys) != 0 {
		t.Fatalf("list of a missing prefix: %v %v", keys, err)
	}
	for _, bad := range []string{"/etc/passwd", "../x", "a/../../x", "", "."} {
		if err := st.Put(ctx, bad, nil); err == nil {
			t.Errorf("Put(%q) accepted", bad)
		}
	}
	dir, err := st.Checkout(ctx, "s/trial-0002")
	if err != nil {
		t.Fatalf("checkout: %s %v", dir, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "metrics.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(ctx, "s/trial-0002", dir); err != nil {
		t.Fatal(err)
	}
	if b, err := st.Get(ctx, "s/trial-0002/metrics.json"); err != nil || string(b) != "{}" {
		t.Fatalf("file written in a checkout: %q %v", b, err)
	}
}

// A Dir store behaves as a Store, hands out trial directories inside
// itself and names keys by their absolute paths.
func TestDir(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	d, err := NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var _ Store = d
	testStoreBehaviour(t, d)
	dir, err := d.Checkout(ctx, "s/trial-0002")
	if err != nil || dir != filepath.Join(root, "s", "trial-0002") {
		t.Fatalf("checkout: %s %v", dir, err)
	}
	if err := d.Commit(ctx, "s/trial-0002", root); err == nil {
		t.Fatal("commit of another directory accepted")
	}
	if got := d.URI("s/base.yaml"); got != filepath.Join(root, "s", "base.yaml") {
		t.Fatalf("URI %s", got)
	}
}
