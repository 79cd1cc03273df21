package deploy

import (
	"encoding/json"
	"errors"
	"strconv"
)

// The subset of the AWS Batch RegisterJobDefinition and SubmitJob request
// shapes that BatchJobDefinition and BatchSubmitJob write, with the API's
// field names (what `aws batch ... --cli-input-json` reads).
type (
	batchJobDefinition struct {
		JobDefinitionName    string              `json:"jobDefinitionName"`
		Type                 string              `json:"type"`
		PlatformCapabilities []string            `json:"platformCapabilities"`
		RetryStrategy        batchRetryStrategy  `json:"retryStrategy"`
		Tags                 map[string]string   `json:"tags"`
		ContainerProperties  batchContainerProps `json:"containerProperties"`
	}
	batchRetryStrategy struct {
		Attempts int `json:"attempts"`
	}
	batchContainerProps struct {
		Image                string            `json:"image"`
		Command              []string          `json:"command"`
		ResourceRequirements []batchResource   `json:"resourceRequirements"`
		Environment          []EnvVar          `json:"environment"`
		Secrets              []batchSecret     `json:"secrets"`
		ExecutionRoleArn     string            `json:"executionRoleArn,omitempty"`
		Volumes              []batchVolume     `json:"volumes,omitempty"`
		MountPoints          []batchMountPoint `json:"mountPoints,omitempty"`
	}
	batchResource struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	}
	batchSecret struct {
		Name      string `json:"name"`
		ValueFrom string `json:"valueFrom"`
	}
	batchVolume struct {
		Name string          `json:"name"`
		Host *batchHost      `json:"host,omitempty"`
		EFS  *batchEFSVolume `json:"efsVolumeConfiguration,omitempty"`
	}
	batchHost struct {
		SourcePath string `json:"sourcePath"`
	}
	batchEFSVolume struct {
		FileSystemID      string `json:"fileSystemId"`
		RootDirectory     string `json:"rootDirectory"`
		TransitEncryption string `json:"transitEncryption"`
	}
	batchMountPoint struct {
		SourceVolume  string `json:"sourceVolume"`
		ContainerPath string `json:"containerPath"`
		ReadOnly      bool   `json:"readOnly"`
	}
	batchSubmit struct {
		JobName            string                  `json:"jobName"`
		JobQueue           string                  `json:"jobQueue"`
		JobDefinition      string                  `json:"jobDefinition"`
		ArrayProperties    *batchArrayProperties   `json:"arrayProperties,omitempty"`
		ContainerOverrides *batchContainerOverride `json:"containerOverrides,omitempty"`
	}
	batchArrayProperties struct {
		Size int `json:"size"`
	}
	batchContainerOverride struct {
		Command []string `json:"command"`
	}
)

// BatchJobDefinition returns the RegisterJobDefinition request, as JSON
// for `aws batch register-job-definition --cli-input-json file://...`: a
// container job on EC2 whose command (appended to the image's ENTRYPOINT,
// vigil) is `sweep worker` without --registry (the worker reads
// $VIGIL_REGISTRY, which Batch sets from the SecretARN secret), with
// VCPU, MEMORY and, when GPUs > 0, GPU requirements, the store mounted at
// Store (from EFS, or the host's directory; a bucket store: its
// credentials from S3SecretARN instead), and Retries + 1 attempts.
func (w Worker) BatchJobDefinition() ([]byte, error) {
	if err := w.Check(); err != nil {
		return nil, err
	}
	if w.SecretARN == "" {
		return nil, errors.New("AWS Batch: the ARN of the secret holding the registry DSN is required")
	}
	res := []batchResource{{Type: "VCPU", Value: strconv.Itoa(w.CPUs)}, {Type: "MEMORY", Value: strconv.Itoa(w.MemoryMiB)}}
	if w.GPUs > 0 {
		res = append(res, batchResource{Type: "GPU", Value: strconv.Itoa(w.GPUs)})
	}
	vol := batchVolume{Name: "store", Host: &batchHost{SourcePath: w.Store}}
	if w.EFS != "" {
		vol = batchVolume{Name: "store", EFS: &batchEFSVolume{FileSystemID: w.EFS, RootDirectory: "/", TransitEncryption: "ENABLED"}}
	}
	env := append([]EnvVar{}, w.Env...)
	secrets := []batchSecret{{Name: RegistryEnv, ValueFrom: w.SecretARN}}
	volumes := []batchVolume{vol}
	mounts := []batchMountPoint{{SourceVolume: "store", ContainerPath: w.Store}}
	if w.Bucket() {
		if w.S3SecretARN == "" {
			return nil, errors.New("AWS Batch: a bucket store needs the ARN of the secret holding its credentials")
		}
		// Secrets Manager's JSON-key form: ARN:json-key:version-stage:version-id.
		secrets = append(secrets, batchSecret{Name: "AWS_ACCESS_KEY_ID", ValueFrom: w.S3SecretARN + ":access_key_id::"},
			batchSecret{Name: "AWS_SECRET_ACCESS_KEY", ValueFrom: w.S3SecretARN + ":secret_access_key::"})
		volumes, mounts = nil, nil
	}
	def := batchJobDefinition{JobDefinitionName: w.Name, Type: "container", PlatformCapabilities: []string{"EC2"},
		RetryStrategy: batchRetryStrategy{Attempts: w.Retries + 1},
		Tags:          map[string]string{"vigil-sweep": strconv.FormatInt(w.SweepID, 10)},
		ContainerProperties: batchContainerProps{Image: w.Image, Command: w.WorkerArgs(""), ResourceRequirements: res,
			Environment: env, Secrets: secrets,
			ExecutionRoleArn: w.ExecutionRoleARN, Volumes: volumes, MountPoints: mounts}}
	return marshalJSON(def)
}

// BatchSubmitJob returns the SubmitJob request, as JSON for `aws batch
// submit-job --cli-input-json file://...`: an array job of Trials
// children, each reading its trial from AWS_BATCH_JOB_ARRAY_INDEX. AWS
// Batch arrays have 2 to 10000 children, so a single trial is submitted
// as a plain job whose command names --index 0.
func (w Worker) BatchSubmitJob() ([]byte, error) {
	if err := w.Check(); err != nil {
		return nil, err
	}
	sub := batchSubmit{JobName: w.Name, JobQueue: w.JobQueue, JobDefinition: w.Name}
	if w.Trials >= 2 {
		sub.ArrayProperties = &batchArrayProperties{Size: w.Trials}
	} else {
		sub.ContainerOverrides = &batchContainerOverride{Command: append(w.WorkerArgs(""), "--index", "0")}
	}
	return marshalJSON(sub)
}

func marshalJSON(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
