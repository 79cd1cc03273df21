package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/experiments"
)

func newRunCmd() *cobra.Command {
	var sets []string
	var out, registryDSN string
	cmd := &cobra.Command{
		Use:   "run [CONFIG]",
		Short: "Train, evaluate and report an experiment (default: the embedded quickstart)",
		Long: `Train one model per user, score the test blocks, evaluate against the
naive Bayes baseline and write DIR/metrics.json, DIR/report.html with plots, and
checkpoints. CONFIG is a YAML file or the name of an embedded config
(quickstart, sea_fast, sea_convvae).`,
		Example: `  vigil run
  vigil run experiments/configs/sea_fast.yaml --set data.path=data/sea --out runs/sea_fast`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(args, sets)
			if err != nil {
				return err
			}
			if out == "" {
				out = "runs/" + cfg.Name
			}
			reg, err := openRegistry(cmd.Context(), registryDSN)
			if err != nil {
				return err
			}
			if reg != nil {
				defer reg.Close()
			}
			res, err := experiments.Run(cmd.Context(), cfg, experiments.RunOptions{Out: out, Log: newLogger(), Progress: cmd.ErrOrStderr(), Registry: reg})
			if err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), res.Summary())
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a config key (key=value, repeatable)")
	cmd.Flags().StringVar(&out, "out", "", "output directory (default runs/<name>)")
	cmd.Flags().StringVar(&registryDSN, "registry", "", registryFlagHelp)
	return cmd
}

func newEvalCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "eval RUN_DIR",
		Short: "Re-score a finished run from its checkpoints without training",
		Example: `  vigil eval runs/quickstart
  vigil eval runs/sea_fast --out runs/sea_fast/rescored`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				out = args[0]
			}
			res, err := experiments.Evaluate(cmd.Context(), args[0], experiments.RunOptions{Out: out, Log: newLogger(), Progress: cmd.ErrOrStderr()})
			if err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), res.Summary())
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "where to write metrics.json and report.html (default RUN_DIR)")
	return cmd
}
