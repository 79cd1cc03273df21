package deploy

import (
	"bytes"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// The subset of Kubernetes batch/v1 Job that Kubernetes writes, with the
// API's field names (k8s.io/api/batch/v1 and core/v1 JSON tags).
type (
	k8sJob struct {
		APIVersion string     `yaml:"apiVersion"`
		Kind       string     `yaml:"kind"`
		Metadata   k8sMeta    `yaml:"metadata"`
		Spec       k8sJobSpec `yaml:"spec"`
	}
	k8sMeta struct {
		Name      string            `yaml:"name,omitempty"`
		Namespace string            `yaml:"namespace,omitempty"`
		Labels    map[string]string `yaml:"labels,omitempty"`
	}
	k8sJobSpec struct {
		CompletionMode       string      `yaml:"completionMode"`
		Completions          int         `yaml:"completions"`
		Parallelism          int         `yaml:"parallelism"`
		BackoffLimitPerIndex int         `yaml:"backoffLimitPerIndex"`
		PodReplacementPolicy string      `yaml:"podReplacementPolicy"`
		Template             k8sTemplate `yaml:"template"`
	}
	k8sTemplate struct {
		Metadata k8sMeta    `yaml:"metadata"`
		Spec     k8sPodSpec `yaml:"spec"`
	}
	k8sPodSpec struct {
		RestartPolicy string          `yaml:"restartPolicy"`
		Containers    []k8sContainer  `yaml:"containers"`
		Volumes       []k8sVolume     `yaml:"volumes,omitempty"`
		Tolerations   []k8sToleration `yaml:"tolerations,omitempty"`
	}
	k8sContainer struct {
		Name         string           `yaml:"name"`
		Image        string           `yaml:"image"`
		Command      []string         `yaml:"command"`
		Env          []k8sEnv         `yaml:"env"`
		Resources    k8sResources     `yaml:"resources"`
		VolumeMounts []k8sVolumeMount `yaml:"volumeMounts,omitempty"`
	}
	k8sEnv struct {
		Name      string        `yaml:"name"`
		Value     string        `yaml:"value,omitempty"`
		ValueFrom *k8sEnvSource `yaml:"valueFrom,omitempty"`
	}
	k8sEnvSource struct {
		SecretKeyRef k8sSecretKey `yaml:"secretKeyRef"`
	}
	k8sSecretKey struct {
		Name string `yaml:"name"`
		Key  string `yaml:"key"`
	}
	k8sResources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	}
	k8sVolumeMount struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	}
	k8sVolume struct {
		Name                  string `yaml:"name"`
		PersistentVolumeClaim k8sPVC `yaml:"persistentVolumeClaim"`
	}
	k8sPVC struct {
		ClaimName string `yaml:"claimName"`
	}
	k8sToleration struct {
		Key      string `yaml:"key"`
		Operator string `yaml:"operator"`
		Effect   string `yaml:"effect"`
	}
)

// gpuResource is the extended resource of the NVIDIA device plugin.
const gpuResource = "nvidia.com/gpu"

// Kubernetes returns the workers as a batch/v1 Indexed Job in YAML: one
// completion per planned trial (each pod reads its trial from
// JOB_COMPLETION_INDEX), Parallelism pods at once, restartPolicy Never,
// backoffLimitPerIndex Retries (a failed index is started again without
// failing the others) and podReplacementPolicy Failed (a replacement pod
// starts only once the one it replaces has stopped). The container runs
// `vigil sweep worker` with the registry DSN from the Secret, mounts the
// store's claim at Store (a bucket store: its credentials from S3Secret
// instead), and with GPUs > 0 asks for nvidia.com/gpu and
// tolerates the usual GPU-node taint.
func (w Worker) Kubernetes() ([]byte, error) {
	if err := w.Check(); err != nil {
		return nil, err
	}
	labels := map[string]string{"app.kubernetes.io/name": "vigil", "app.kubernetes.io/component": "sweep-worker",
		"vigil/sweep": strconv.FormatInt(w.SweepID, 10)}
	env := []k8sEnv{{Name: RegistryEnv, ValueFrom: &k8sEnvSource{SecretKeyRef: k8sSecretKey{Name: w.SecretName, Key: w.SecretKey}}}}
	if w.Bucket() {
		for _, k := range [][2]string{{"AWS_ACCESS_KEY_ID", "access_key_id"}, {"AWS_SECRET_ACCESS_KEY", "secret_access_key"}} {
			env = append(env, k8sEnv{Name: k[0], ValueFrom: &k8sEnvSource{SecretKeyRef: k8sSecretKey{Name: w.S3Secret, Key: k[1]}}})
		}
	}
	for _, e := range w.Env {
		env = append(env, k8sEnv{Name: e.Name, Value: e.Value})
	}
	mounts := []k8sVolumeMount{{Name: "store", MountPath: w.Store}}
	volumes := []k8sVolume{{Name: "store", PersistentVolumeClaim: k8sPVC{ClaimName: w.PVC}}}
	if w.Bucket() {
		mounts, volumes = nil, nil
	}
	mem := strconv.Itoa(w.MemoryMiB) + "Mi"
	res := k8sResources{Requests: map[string]string{"cpu": strconv.Itoa(w.CPUs), "memory": mem},
		Limits: map[string]string{"memory": mem}}
	var tolerations []k8sToleration
	if w.GPUs > 0 {
		res.Limits[gpuResource] = strconv.Itoa(w.GPUs)
		tolerations = []k8sToleration{{Key: gpuResource, Operator: "Exists", Effect: "NoSchedule"}}
	}
	job := k8sJob{APIVersion: "batch/v1", Kind: "Job",
		Metadata: k8sMeta{Name: w.Name, Namespace: w.Namespace, Labels: labels},
		Spec: k8sJobSpec{CompletionMode: "Indexed", Completions: w.Trials, Parallelism: w.parallelism(),
			BackoffLimitPerIndex: w.Retries, PodReplacementPolicy: "Failed",
			Template: k8sTemplate{Metadata: k8sMeta{Labels: labels}, Spec: k8sPodSpec{
				RestartPolicy: "Never",
				Containers: []k8sContainer{{Name: "worker", Image: w.Image,
					// Kubernetes expands $(VIGIL_REGISTRY) from the env below.
					Command:      append([]string{"vigil"}, w.WorkerArgs("$("+RegistryEnv+")")...),
					Env:          env,
					Resources:    res,
					VolumeMounts: mounts}},
				Volumes:     volumes,
				Tolerations: tolerations,
			}}}}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(job); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
