package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/configs"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "vigil",
		Short:         "Train and evaluate behavioural anomaly-detection models",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd(), newEvalCmd(), newModelCmd(), newConfigCmd(), newDevicesCmd())
	return root
}

// loadConfig reads the config at path, or the embedded default when path is
// empty or names an embedded config ("quickstart"), applying --set overrides.
func loadConfig(path string, sets []string) (experiments.Config, error) {
	if path == "" {
		path = configs.Default
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
