package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/deploy"
	"github.com/vigil-ml/vigil/experiments/artifacts"
	"github.com/vigil-ml/vigil/experiments/configs"
	"github.com/vigil-ml/vigil/experiments/sweeprun"
)

// placeholderSecretARN is --aws-secret-arn's default, to be replaced.
const placeholderSecretARN = "arn:aws:secretsmanager:REGION:ACCOUNT:secret:vigil-registry"

func newSweepPlanCmd() *cobra.Command {
	var (
		registryDSN, store, out, image, device string
		sampler                                string
		trials                                 int
		sets, env                              []string
		w                                      deploy.Worker
	)
	cmd := &cobra.Command{
		Use:   "plan SWEEP.yaml --registry DSN --store DIR",
		Short: "Sample a sweep's trials up front and write the manifests that run them on Kubernetes or AWS Batch",
		Long: `Plan a sweep for independent workers: create it in the run registry, sample
its trials up front, write the base config and each trial's point to the
artefact store (DIR/sweep-ID/base.yaml, DIR/sweep-ID/trial-NNNN/point.json),
record one pending registry row per trial, and write the manifests that start
one 'vigil sweep worker' per trial:

  OUT/sweep-ID-job.yaml             a Kubernetes Indexed Job (kubectl apply -f)
  OUT/sweep-ID-batch-jobdef.json    aws batch register-job-definition --cli-input-json file://...
  OUT/sweep-ID-batch-submit.json    aws batch submit-job --cli-input-json file://...

Only random and grid sweeps can be planned: TPE proposes each point from the
results of finished trials (run it with 'vigil sweep SWEEP.yaml', or plan
the same space with --sampler random). Trials
come from --trials, else the sweep file's budget.trials (a grid: at most its
size). Trial n is drawn as 'vigil sweep' draws it, so a planned random sweep
samples the same points as one run in-process with the same seed.

The registry must be one every worker reaches (postgres://...). The store is
a directory on a filesystem the workers mount at the same absolute path (a
ReadWriteMany PersistentVolumeClaim, EFS, NFS). The workers read the registry
DSN from $VIGIL_REGISTRY: from the Kubernetes Secret --secret (key
--secret-key), or on AWS Batch from the secret --aws-secret-arn.
See deploy/README.md for the whole path, from plan to report.`,
		Example: `  vigil sweep plan experiments/sweeps/quickstart.yaml --sampler random --registry postgres://vigil@db/vigil \
      --store /mnt/vigil --trials 32 --image ghcr.io/acme/vigil-gpu:1.4 --parallelism 8 --gpus 1
  kubectl create secret generic vigil-registry --from-literal=dsn=postgres://vigil:PASSWORD@db/vigil
  kubectl apply -f manifests/sweep-12-job.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := sweeprun.ReadSpec(args[0])
			if err != nil {
				return err
			}
			spec.Set = append(spec.Set, sets...)
			switch sampler {
			case "":
			case "random", "grid":
				spec.Sampler = sampler
			default:
				return fmt.Errorf("--sampler %q: random or grid (TPE cannot be planned)", sampler)
			}
			base, err := readBaseConfig(spec.Base)
			if err != nil {
				return err
			}
			dsn, err := sharedRegistryDSN(registryDSN)
			if err != nil {
				return err
			}
			if store == "" {
				return errors.New("--store: the artefact store's directory is required (a filesystem every worker mounts)")
			}
			if device == "" {
				device = "cpu"
				if w.GPUs > 0 {
					device = "cuda:0"
				}
			}
			for _, kv := range env {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return fmt.Errorf("--env %q: want KEY=VALUE", kv)
				}
				w.Env = append(w.Env, deploy.EnvVar{Name: k, Value: v})
			}
			st, err := artifacts.Open(store)
			if err != nil {
				return err
			}
			// A directory is mounted into each worker at the same path; a
			// bucket is reached by URI with the credentials' secret.
			w.Store = store
			if d, ok := st.(*artifacts.Dir); ok {
				w.Store = d.Root()
			}
			w.Image, w.Device = image, device
			w.Name, w.SweepID, w.Trials = "vigil-sweep-0", 0, 1
			if _, err := buildManifests(w); err != nil { // before anything is recorded
				return err
			}
			reg, err := openRegistry(cmd.Context(), dsn)
			if err != nil {
				return err
			}
			defer reg.Close()
			plan, err := sweeprun.PlanSweep(cmd.Context(), spec, sweeprun.PlanOptions{Registry: reg, Store: st, Base: base,
				Trials: trials, Device: device})
			if errors.Is(err, sweeprun.ErrTPEPlan) {
				return fmt.Errorf("%s: %w (or plan it with --sampler random)", args[0], err)
			}
			if err != nil {
				return err
			}
			w.Name, w.SweepID, w.Trials = fmt.Sprintf("vigil-sweep-%d", plan.SweepID), plan.SweepID, len(plan.Points)
			files, err := writeManifests(w, out)
			if err != nil {
				return fmt.Errorf("sweep %d is planned, but its manifests: %w", plan.SweepID, err)
			}
			o := cmd.OutOrStdout()
			fmt.Fprintf(o, "sweep %d: %d trials planned (%s sampler), points in %s\n", plan.SweepID, len(plan.Points),
				plan.Spec.Sampler, st.URI(plan.Prefix))
			for _, f := range files {
				fmt.Fprintln(o, "wrote", f)
			}
			if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
				fmt.Fprintf(o, "note: the registry %s is not PostgreSQL: only workers on this machine can reach it\n", dsn)
			}
			if w.SecretARN == placeholderSecretARN {
				fmt.Fprintln(o, "note: put your secret's ARN in the AWS job definition (--aws-secret-arn) before registering it")
			}
			fmt.Fprintf(o, "progress: vigil runs ls --sweep %d; report: vigil sweep report --sweep %d --store %s\n",
				plan.SweepID, plan.SweepID, w.Store)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&registryDSN, "registry", "", "run registry the workers share, a postgres:// URL (default $"+registryEnv+")")
	f.StringVar(&store, "store", "", "artefact store: a directory (or file:// URL) the workers mount at the same path, or s3://bucket/prefix (required)")
	f.StringVar(&sampler, "sampler", "", "random or grid instead of the sweep file's sampler (a TPE sweep file needs one)")
	f.IntVar(&trials, "trials", 0, "trials to plan (default: the sweep file's budget.trials; a grid: its size)")
	f.StringVar(&out, "out", "manifests", "folder for the Kubernetes and AWS Batch manifests")
	f.StringArrayVar(&sets, "set", nil, "override a config key of every trial (key=value, repeatable; after the file's set)")
	f.StringVar(&image, "image", "vigil-gpu", "container image built from Dockerfile.gpu")
	f.IntVar(&w.Parallelism, "parallelism", 0, "workers at once on Kubernetes (default: all trials)")
	f.IntVar(&w.GPUs, "gpus", 1, "GPUs per worker (0: none)")
	f.StringVar(&device, "device", "", "the workers' device (default cuda:0 with --gpus > 0, else cpu)")
	f.IntVar(&w.CPUs, "cpus", 4, "CPUs per worker")
	f.IntVar(&w.MemoryMiB, "memory-mib", 16384, "memory per worker, MiB")
	f.IntVar(&w.Retries, "retries", 2, "attempts after a failed one, per trial (worker --retries, backoffLimitPerIndex, Batch attempts - 1)")
	f.DurationVar(&w.StaleAfter, "stale-after", sweeprun.DefaultStaleAfter, "heartbeat age after which a worker takes over a dead worker's trial")
	f.StringArrayVar(&env, "env", nil, "extra environment of the workers (KEY=VALUE, repeatable; e.g. VIGIL_TRAIN_WORKERS=8)")
	f.StringVar(&w.Namespace, "namespace", "", "Kubernetes namespace (default: kubectl's)")
	f.StringVar(&w.SecretName, "secret", "vigil-registry", "Kubernetes Secret holding the registry DSN")
	f.StringVar(&w.SecretKey, "secret-key", "dsn", "key of the DSN in --secret")
	f.StringVar(&w.PVC, "pvc", "vigil-store", "Kubernetes PersistentVolumeClaim (ReadWriteMany) of the store")
	f.StringVar(&w.JobQueue, "aws-queue", "vigil", "AWS Batch job queue")
	f.StringVar(&w.SecretARN, "aws-secret-arn", placeholderSecretARN, "AWS Secrets Manager secret (or SSM parameter) ARN holding the registry DSN")
	f.StringVar(&w.ExecutionRoleARN, "aws-execution-role", "", "AWS Batch execution role ARN allowed to read the secret")
	f.StringVar(&w.EFS, "efs", "", "EFS file system id of the store on AWS Batch (default: the host's --store directory)")
	f.StringVar(&w.S3Secret, "s3-secret", "vigil-s3", "Kubernetes Secret with access_key_id and secret_access_key, for an s3:// store")
	f.StringVar(&w.S3SecretARN, "aws-s3-secret-arn", "", "AWS Secrets Manager secret ARN with JSON keys access_key_id and secret_access_key, for an s3:// store")
	return cmd
}

// manifest is one file of a planned sweep's manifests.
type manifest struct {
	name string // file name
	data []byte
}

// buildManifests builds w's Kubernetes Job and AWS Batch files.
func buildManifests(w deploy.Worker) ([]manifest, error) {
	var out []manifest
	for _, m := range []struct {
		suffix string
		build  func() ([]byte, error)
	}{{"job.yaml", w.Kubernetes}, {"batch-jobdef.json", w.BatchJobDefinition}, {"batch-submit.json", w.BatchSubmitJob}} {
		b, err := m.build()
		if err != nil {
			return nil, err
		}
		out = append(out, manifest{name: fmt.Sprintf("sweep-%d-%s", w.SweepID, m.suffix), data: b})
	}
	return out, nil
}

// writeManifests writes w's manifests into dir and returns their paths.
func writeManifests(w deploy.Worker, dir string) ([]string, error) {
	ms, err := buildManifests(w)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	for _, m := range ms {
		p := filepath.Join(dir, m.name)
		if err := os.WriteFile(p, m.data, 0o644); err != nil {
			return files, err
		}
		files = append(files, p)
	}
	return files, nil
}

// readBaseConfig reads the config a sweep file's base names as
// `vigil sweep` does (loadConfig): a file, else an embedded config.
func readBaseConfig(base string) ([]byte, error) {
	if _, err := os.Stat(base); err != nil {
		if b, embErr := configs.Read(base); embErr == nil {
			return b, nil
		}
		return nil, fmt.Errorf("base config %s: %w", base, err)
	}
	return os.ReadFile(base)
}

// sharedRegistryDSN is --registry, else $VIGIL_REGISTRY: the default
// SQLite file of other commands would be a registry of one machine.
func sharedRegistryDSN(flag string) (string, error) {
	dsn := flag
	if dsn == "" {
		dsn = os.Getenv(registryEnv)
	}
	if dsn == "" || strings.EqualFold(dsn, registryOff) {
		return "", fmt.Errorf("a registry the workers share is required: --registry postgres://... or $%s", registryEnv)
	}
	return dsn, nil
}
