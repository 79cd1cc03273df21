package cli

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/experiments/artifacts"
	"github.com/vigil-ml/vigil/experiments/sweep"
	"github.com/vigil-ml/vigil/experiments/sweeprun"
)

// The environment variables a worker reads its trial index from.
const (
	k8sIndexEnv   = "JOB_COMPLETION_INDEX"      // Kubernetes Indexed Job
	batchIndexEnv = "AWS_BATCH_JOB_ARRAY_INDEX" // AWS Batch array job child
)

func newSweepWorkerCmd() *cobra.Command {
	var (
		registryDSN, store, device string
		sweepID                    int64
		index                      int
		opts                       sweeprun.WorkerOptions
	)
	cmd := &cobra.Command{
		Use:   "worker --sweep ID --registry DSN --store DIR [--index I]",
		Short: "Run one trial of a planned sweep (the command a Kubernetes or AWS Batch worker runs)",
		Long: `Run one trial of a sweep planned with 'vigil sweep plan'. The trial is --index,
else $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), else
$AWS_BATCH_JOB_ARRAY_INDEX (an AWS Batch array job). The worker reads the
sweep's spec from the registry (--registry, else $VIGIL_REGISTRY) and the
trial's point and base config from the store, claims the trial, trains it
as 'vigil sweep' would (same config, pruning and registry records) into
STORE/sweep-ID/trial-NNNN/, and finishes its registry row.

Exit status: 0 when the trial ended complete or pruned, here or under another
worker; non-zero when it failed. Running a worker again is safe:
  - a trial already done is left alone (exit 0);
  - a trial another worker runs is waited for, until it ends or its heartbeat
    is --stale-after old (a dead worker: its run is reaped, i.e. marked failed,
    with every other run of the registry that stale); --no-wait exits 0 at once;
  - a failed trial is run again only while --retries allows: attempt k of
    trial i is recorded as trial number k*N+i (N planned trials) and resumes
    from the checkpoints in the trial's folder; without retries left the
    worker exits non-zero.
The manifests 'vigil sweep plan' writes set --retries to the engine's retry
count (backoffLimitPerIndex, AWS Batch attempts - 1).`,
		Example: `  vigil sweep worker --sweep 12 --registry postgres://vigil@db/vigil --store /mnt/vigil --index 3
  JOB_COMPLETION_INDEX=3 vigil sweep worker --sweep 12 --store /mnt/vigil --device cuda:0 --retries 2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			i, err := trialIndex(index, os.Getenv)
			if err != nil {
				return err
			}
			dsn, err := sharedRegistryDSN(registryDSN)
			if err != nil {
				return err
			}
			if sweepID <= 0 || store == "" {
				return errors.New("--sweep ID and --store DIR are required")
			}
			// Before anything is claimed: the pure-Go build hands a GPU
			// worker over to the GPU build (vigil-cuda).
			if err := checkWorkerDevice(cmd.Context(), device); err != nil {
				return err
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
			opts.Registry, opts.Store, opts.SweepID, opts.Index, opts.Device = reg, st, sweepID, i, device
			opts.Log, opts.Progress = newLogger(), cmd.ErrOrStderr()
			res, err := sweeprun.Work(cmd.Context(), opts)
			fmt.Fprintln(cmd.OutOrStdout(), workSummary(sweepID, i, res, err))
			return err
		},
	}
	f := cmd.Flags()
	f.Int64Var(&sweepID, "sweep", 0, "the planned sweep's id (required)")
	f.StringVar(&registryDSN, "registry", "", "run registry the sweep was planned in (default $"+registryEnv+")")
	f.StringVar(&store, "store", "", "artefact store the sweep was planned on: a directory, file:// or s3://bucket/prefix (required)")
	f.IntVar(&index, "index", -1, "trial to run (default $"+k8sIndexEnv+", else $"+batchIndexEnv+")")
	f.StringVar(&device, "device", "cpu", "device to train on: cpu, cuda or cuda:N")
	f.IntVar(&opts.Retries, "retries", 0, "attempts after a failed one")
	f.DurationVar(&opts.StaleAfter, "stale-after", sweeprun.DefaultStaleAfter, "heartbeat age after which another worker's attempt counts as dead")
	f.BoolVar(&opts.NoWait, "no-wait", false, "exit 0 at once when another live worker runs the trial")
	return cmd
}

// trialIndex is flag when set (>= 0), else the Kubernetes completion
// index, else the AWS Batch array index.
func trialIndex(flag int, getenv func(string) string) (int, error) {
	if flag >= 0 {
		return flag, nil
	}
	for _, name := range []string{k8sIndexEnv, batchIndexEnv} {
		if v := getenv(name); v != "" {
			i, err := strconv.Atoi(v)
			if err != nil || i < 0 {
				return 0, fmt.Errorf("$%s=%q is not a trial index", name, v)
			}
			return i, nil
		}
	}
	return 0, fmt.Errorf("no trial index: give --index, or run under a Kubernetes Indexed Job ($%s) or an AWS Batch array job ($%s)",
		k8sIndexEnv, batchIndexEnv)
}

// workSummary is the worker's one-line outcome.
func workSummary(sweepID int64, index int, res sweeprun.WorkResult, err error) string {
	t := res.Trial
	who := "by another worker"
	if res.Ran {
		who = "here"
	}
	s := fmt.Sprintf("sweep %d trial %d (attempt %d, trial number %d): %s %s", sweepID, index, res.Attempt, t.Number, t.State, who)
	if t.State == sweep.Complete {
		s += fmt.Sprintf(", objective %.4f", t.Value)
	}
	if !t.Start.IsZero() && !t.End.IsZero() {
		s += fmt.Sprintf(", %s", t.End.Sub(t.Start).Round(time.Second))
	}
	if err != nil && t.State == "" {
		s = fmt.Sprintf("sweep %d trial %d: not run", sweepID, index)
	}
	return s
}
