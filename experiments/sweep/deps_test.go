package sweep

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoHeavyDeps runs `go list -deps` on this package and fails if any
// ORM, SQL driver, cgo SQLite or goptuna storage package is among them.
func TestNoHeavyDeps(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	out, err := exec.Command(goBin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"gorm", "sqlite", "database/sql", "goptuna/rdb", "mattn", "pgx", "mysql"} {
			if strings.Contains(dep, bad) {
				t.Errorf("dependency %s (matches %q)", dep, bad)
			}
		}
	}
}
