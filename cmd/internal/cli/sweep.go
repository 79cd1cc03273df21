package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/sweeprun"
)

func newSweepCmd() *cobra.Command {
	var out, registryDSN string
	var sets []string
	var workers int
	cmd := &cobra.Command{
		Use:   "sweep SWEEP.yaml",
		Short: "Search hyperparameters: train trials sampled from a sweep file's space",
		Long: `Run a hyperparameter sweep: sample configs from the sweep file's search space
(grid, random or TPE), train each trial as vigil run would, up to workers at
once on the listed devices, prune trials by their per-epoch validation loss
(median or ASHA), and rank them by a metrics.json figure. Every trial is
recorded in the run registry (vigil runs ls --sweep ID). Trials go to
DIR/trial-NNNN, a summary to DIR/trials.csv. Run the same command again to
resume a stopped sweep: finished trials are kept, trials it left running are
recorded as failed and run again from their checkpoints; the budget may be
raised in between.

To spread a sweep over many machines through an existing batch engine
(Kubernetes, AWS Batch), plan it instead: 'vigil sweep plan' samples the
trials up front and writes the manifests, each worker runs one trial with
'vigil sweep worker', and 'vigil sweep report' writes the report from the
registry and the artefact store (see deploy/README.md).`,
		Example: `  vigil sweep experiments/sweeps/quickstart.yaml
  vigil sweep experiments/sweeps/sea.yaml --set data.path=data/sea
  vigil sweep my_sweep.yaml --workers 4 --registry postgres://vigil@db/vigil
  vigil sweep plan my_sweep.yaml --registry postgres://vigil@db/vigil --store /mnt/vigil --trials 32`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := sweeprun.ReadSpec(args[0])
			if err != nil {
				return err
			}
			spec.Set = append(spec.Set, sets...)
			if workers > 0 {
				spec.Workers = workers
			}
			if out == "" {
				out = "runs/" + spec.Name
			}
			if registryDSNFor(registryDSN) == "" {
				return errors.New("a sweep records its trials in the run registry: --registry off is not possible here")
			}
			reg, err := openRegistry(cmd.Context(), registryDSN)
			if err != nil {
				return err
			}
			defer reg.Close()
			load := func(sets []string) (experiments.Config, error) {
				return loadConfig([]string{spec.Base}, append(append([]string{}, spec.Set...), sets...))
			}
			trials, err := sweeprun.Run(cmd.Context(), spec, sweeprun.Options{Out: out, Registry: reg, Load: load,
				Log: newLogger(), Progress: cmd.ErrOrStderr()})
			sweeprun.Summary(cmd.OutOrStdout(), trials, spec.Objective.Direction, spec.Objective.Metric, 5)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "trials: %s/trials.csv\n", out)
			return nil
		},
	}
	cmd.AddCommand(newSweepPlanCmd(), newSweepWorkerCmd(), newSweepReportCmd())
	cmd.Flags().StringVar(&out, "out", "", "sweep folder (default runs/<name>)")
	cmd.Flags().StringVar(&registryDSN, "registry", "", registryFlagHelp)
	cmd.Flags().IntVar(&workers, "workers", 0, "trials at once (default: the sweep file's workers)")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a config key of every trial (key=value, repeatable; after the file's set)")
	return cmd
}
