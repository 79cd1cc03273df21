package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigil-ml/vigil/experiments/registry"
)

// The run registry: where `vigil run` records runs and `vigil runs`
// reads them.
const (
	registryEnv      = "VIGIL_REGISTRY"
	defaultRegistry  = "runs/registry.db"
	registryFlagHelp = "run registry: a SQLite file or postgres:// URL; off records nothing (default $" + registryEnv + ", else " + defaultRegistry + ")"
	registryOff      = "off"
)

// registryDSNFor resolves the registry flag: the flag, else $VIGIL_REGISTRY,
// else runs/registry.db; "" when recording is off.
func registryDSNFor(flag string) string {
	dsn := flag
	if dsn == "" {
		dsn = os.Getenv(registryEnv)
	}
	if dsn == "" {
		dsn = defaultRegistry
	}
	if strings.EqualFold(dsn, registryOff) {
		return ""
	}
	return dsn
}

// openRegistry opens (creating a SQLite file and its folder when needed)
// the registry the flag names; nil when recording is off.
func openRegistry(ctx context.Context, flag string) (*registry.Registry, error) {
	dsn := registryDSNFor(flag)
	if dsn == "" {
		return nil, nil
	}
	if !strings.Contains(dsn, "://") {
		if err := os.MkdirAll(filepath.Dir(dsn), 0o755); err != nil {
			return nil, fmt.Errorf("registry %s: %w", dsn, err)
		}
	}
	reg, err := registry.OpenContext(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("registry %s: %w (--registry off runs without one)", dsn, err)
	}
	return reg, nil
}
