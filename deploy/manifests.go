// Package deploy writes the manifests that run a planned sweep's workers
// (`vigil sweep worker`, one trial each) on existing batch engines: a
// Kubernetes Indexed Job and an AWS Batch array job. Nothing here talks
// to a cluster; the files are applied with kubectl or the aws CLI (see
// README.md beside this file).
//
// The manifests are built from small structs that mirror the parts of
// the Kubernetes batch/v1 and AWS Batch API shapes vigil uses, so that
// the vigil binary does not link the Kubernetes or AWS client libraries;
// the tests decode every file strictly into the official Go types.
package deploy

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Worker describes a planned sweep's workers.
type Worker struct {
	Name    string // job name, a DNS-1123 label such as "vigil-sweep-7"
	SweepID int64
	Trials  int // planned trials: the Job's completions, the array's size
	// Parallelism is how many workers run at once; 0 means Trials.
	Parallelism int
	Image       string // the Dockerfile.gpu image (its ENTRYPOINT is vigil)
	// Store is the artefact store: a directory, which the containers
	// mount from the shared filesystem at this same absolute path, or an
	// s3://bucket/prefix URI, which they reach with the credentials of
	// S3Secret (Kubernetes) or S3SecretARN (AWS Batch).
	Store  string
	Device string // the workers' --device: "cpu" or "cuda:0"
	// GPUs per worker: nvidia.com/gpu on Kubernetes, GPU on AWS Batch;
	// 0 asks for none.
	GPUs int
	// CPUs and MemoryMiB per worker: the Kubernetes requests (and memory
	// limit), the VCPU and MEMORY of AWS Batch. Both must be positive.
	CPUs      int
	MemoryMiB int
	// Retries is the workers' --retries; it is also the Kubernetes
	// backoffLimitPerIndex and AWS Batch's attempts - 1, so that the
	// engine starts a failed index again exactly as often as the worker
	// will retry its trial.
	Retries    int
	StaleAfter time.Duration // the workers' --stale-after; 0 leaves vigil's default
	Env        []EnvVar      // extra environment, e.g. VIGIL_TRAIN_WORKERS=8

	// Kubernetes: the namespace ("" leaves it to kubectl), the Secret
	// and key holding the registry DSN (VIGIL_REGISTRY), and the
	// PersistentVolumeClaim (ReadWriteMany) of the store.
	Namespace  string
	SecretName string
	SecretKey  string
	PVC        string
	// S3Secret is, for a bucket store, the Secret whose keys
	// access_key_id and secret_access_key become AWS_ACCESS_KEY_ID and
	// AWS_SECRET_ACCESS_KEY.
	S3Secret string

	// AWS Batch: the job queue, the Secrets Manager secret (or SSM
	// parameter) ARN holding the registry DSN, the execution role that
	// may read it ("" leaves it out), and the EFS file system of the
	// store ("" mounts the host's Store directory instead).
	JobQueue         string
	SecretARN        string
	ExecutionRoleARN string
	EFS              string
	// S3SecretARN is, for a bucket store, the Secrets Manager secret
	// whose JSON keys access_key_id and secret_access_key become
	// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
	S3SecretARN string
}

// Bucket reports whether the store is an S3-compatible bucket (nothing
// to mount).
func (w Worker) Bucket() bool { return strings.HasPrefix(strings.ToLower(w.Store), "s3://") }

// EnvVar is one environment variable of the workers.
type EnvVar struct {
	Name  string `json:"name" yaml:"name"`
	Value string `json:"value" yaml:"value"`
}

// RegistryEnv is the variable the workers read the registry DSN from.
const RegistryEnv = "VIGIL_REGISTRY"

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// Check reports the settings that would make a manifest the engines refuse.
func (w Worker) Check() error {
	var errs []error
	if len(w.Name) > 63 || !dnsLabel.MatchString(w.Name) {
		errs = append(errs, fmt.Errorf("job name %q is not a DNS-1123 label (lower-case letters, digits, '-'; at most 63)", w.Name))
	}
	if w.Trials < 1 || w.Trials > 10000 {
		errs = append(errs, fmt.Errorf("trials %d: want 1 to 10000 (the AWS Batch array limit)", w.Trials))
	}
	if w.Parallelism < 0 || w.Retries < 0 || w.GPUs < 0 {
		errs = append(errs, errors.New("parallelism, retries and GPUs must not be negative"))
	}
	if w.CPUs < 1 || w.MemoryMiB < 1 {
		errs = append(errs, fmt.Errorf("CPUs %d and memory %d MiB must be positive", w.CPUs, w.MemoryMiB))
	}
	if w.Image == "" || w.Store == "" || (w.Store[0] != '/' && !w.Bucket()) {
		errs = append(errs, fmt.Errorf("image %q and an absolute store path or s3:// URI %q are required", w.Image, w.Store))
	}
	for _, e := range w.Env {
		if e.Name == "" || e.Name == RegistryEnv || strings.HasPrefix(e.Name, "AWS_BATCH") {
			errs = append(errs, fmt.Errorf("environment variable %q: empty, the registry's (set from the secret) or reserved by AWS Batch", e.Name))
		}
	}
	return errors.Join(errs...)
}

// WorkerArgs is the worker's command line after the program name, with
// registry as its --registry value ("" leaves the flag out: the worker
// reads $VIGIL_REGISTRY).
func (w Worker) WorkerArgs(registry string) []string {
	args := []string{"sweep", "worker", "--sweep", strconv.FormatInt(w.SweepID, 10)}
	if registry != "" {
		args = append(args, "--registry", registry)
	}
	args = append(args, "--store", w.Store, "--device", w.Device, "--retries", strconv.Itoa(w.Retries))
	if w.StaleAfter > 0 {
		args = append(args, "--stale-after", w.StaleAfter.String())
	}
	return args
}

func (w Worker) parallelism() int {
	if w.Parallelism == 0 || w.Parallelism > w.Trials {
		return w.Trials
	}
	return w.Parallelism
}
