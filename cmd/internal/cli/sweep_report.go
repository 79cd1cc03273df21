package cli

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/experiments/artifacts"
	"github.com/vigil-ml/vigil/experiments/sweeprun"
)

func newSweepReportCmd() *cobra.Command {
	var registryDSN, store string
	var sweepID int64
	cmd := &cobra.Command{
		Use:   "report --sweep ID --registry DSN --store DIR",
		Short: "Write a planned sweep's report from the registry and the store",
		Long: `Write the report of a sweep planned with 'vigil sweep plan', while its workers
run or after: every trial's state, objective, pruning figure per epoch and
error come from the registry, its point from the store. The page, its charts
and trials.csv go to STORE/sweep-ID/ (report.html), and the summary to
standard output. Pending trials count as running; a retried trial appears
once per attempt.`,
		Example: `  vigil sweep report --sweep 12 --registry postgres://vigil@db/vigil --store /mnt/vigil`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dsn, err := sharedRegistryDSN(registryDSN)
			if err != nil {
				return err
			}
			if sweepID <= 0 || store == "" {
				return errors.New("--sweep ID and --store DIR are required")
			}
			st, err := artifacts.Open(store)
			if err != nil {
				return err
			}
			reg, err := openRegistry(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer reg.Close()
			rep, err := sweeprun.ReportSweep(cmd.Context(), reg, st, sweepID)
			if rep.Dir == "" {
				return err
			}
			sweeprun.Summary(cmd.OutOrStdout(), rep.Trials, rep.Spec.Objective.Direction, rep.Spec.Objective.Metric, 5)
			fmt.Fprintf(cmd.OutOrStdout(), "report: %s\n", filepath.Join(rep.Dir, "report.html"))
			return err
		},
	}
	f := cmd.Flags()
	f.Int64Var(&sweepID, "sweep", 0, "the planned sweep's id (required)")
	f.StringVar(&registryDSN, "registry", "", "run registry the sweep was planned in (default $"+registryEnv+")")
	f.StringVar(&store, "store", "", "artefact store the sweep was planned on: a directory, file:// or s3://bucket/prefix (required)")
	return cmd
}
