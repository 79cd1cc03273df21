package cli

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/configs"
)

// NewRootCmd builds the vigil command tree.
func NewRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "vigil",
		Short:         "Train and evaluate behavioural anomaly-detection models",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd(), newEvalCmd(), newServeCmd(), newScoreCmd(), newModelCmd(), newConfigCmd(), newDevicesCmd(), newRunsCmd(), newSweepCmd(), newRetrainCmd(), newShadowCmd(), newPromoteCmd())
	return root
}

// loadConfig reads the config named by the optional CONFIG argument: a YAML
// file, or an embedded config ("quickstart", the default when args is
// empty), applying --set overrides.
func loadConfig(args []string, sets []string) (experiments.Config, error) {
	path := configs.Default
	if len(args) > 0 {
		path = args[0]
	}
	if _, err := os.Stat(path); err != nil {
		if data, embErr := configs.Read(path); embErr == nil {
			return experiments.Parse(data, sets)
		}
		return experiments.Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return experiments.Load(path, sets)
}

func newLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
