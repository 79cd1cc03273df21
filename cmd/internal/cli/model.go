package cli

import (
	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/experiments"
)

func newModelCmd() *cobra.Command {
	model := &cobra.Command{Use: "model", Short: "Inspect models"}
	var sets []string
	summary := &cobra.Command{
		Use:     "summary [CONFIG]",
		Short:   "Print the layer table with output shapes and the parameter count",
		Example: "  vigil model summary experiments/configs/sea_convvae.yaml",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(args, sets)
			if err != nil {
				return err
			}
			return experiments.WriteModelSummary(cmd.OutOrStdout(), cfg)
		},
	}
	summary.Flags().StringArrayVar(&sets, "set", nil, "override a config key (key=value)")
	model.AddCommand(summary)
	return model
}
