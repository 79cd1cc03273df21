package deploy

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/service/batch"
	batchtypes "github.com/aws/aws-sdk-go-v2/service/batch/types"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/yaml"
)

func testWorker(trials, gpus int) Worker {
	return Worker{Name: "vigil-sweep-7", SweepID: 7, Trials: trials, Parallelism: 2, Image: "registry.example/vigil-gpu:1",
		Store: "/mnt/vigil", Device: "cuda:0", GPUs: gpus, CPUs: 4, MemoryMiB: 16384, Retries: 2, StaleAfter: 3 * time.Minute,
		Env:       []EnvVar{{Name: "VIGIL_TRAIN_WORKERS", Value: "4"}},
		Namespace: "ml", SecretName: "vigil-registry", SecretKey: "dsn", PVC: "vigil-store",
		JobQueue: "vigil-gpu", SecretARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil-registry",
		EFS: "fs-0123456789abcdef0"}
}

var wantArgs = []string{"sweep", "worker", "--sweep", "7", "--store", "/mnt/vigil", "--device", "cuda:0",
	"--retries", "2", "--stale-after", "3m0s"}

// The Kubernetes manifest decodes strictly (no unknown field, every key
// spelled as the API spells it) into k8s.io/api's batch/v1 Job, as an
// Indexed Job of one completion per trial that runs the worker with the
// registry DSN from the Secret and one GPU.
func TestKubernetesJob(t *testing.T) {
	b, err := testWorker(4, 1).Kubernetes()
	if err != nil {
		t.Fatal(err)
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict(b, &job); err != nil {
		t.Fatalf("strict decode: %v\n%s", err, b)
	}
	raw, err := yaml.YAMLToJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	checkKeys(t, raw, reflect.TypeFor[batchv1.Job](), jsonTagName)

	s := job.Spec
	if job.APIVersion != "batch/v1" || job.Kind != "Job" || job.Name != "vigil-sweep-7" || job.Namespace != "ml" {
		t.Fatalf("header: %s %s %s/%s", job.APIVersion, job.Kind, job.Namespace, job.Name)
	}
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
		t.Fatalf("completionMode %v", s.CompletionMode)
	}
	if *s.Completions != 4 || *s.Parallelism != 2 || *s.BackoffLimitPerIndex != 2 {
		t.Fatalf("completions %d parallelism %d backoffLimitPerIndex %d", *s.Completions, *s.Parallelism, *s.BackoffLimitPerIndex)
	}
	if s.PodReplacementPolicy == nil || *s.PodReplacementPolicy != batchv1.Failed {
		t.Fatalf("podReplacementPolicy %v", s.PodReplacementPolicy)
	}
	pod := s.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever || len(pod.Containers) != 1 {
		t.Fatalf("restartPolicy %s, %d containers", pod.RestartPolicy, len(pod.Containers))
	}
	c := pod.Containers[0]
	want := append([]string{"vigil"}, wantArgs[:4]...)
	want = append(want, "--registry", "$(VIGIL_REGISTRY)")
	want = append(want, wantArgs[4:]...)
	if c.Image != "registry.example/vigil-gpu:1" || !slices.Equal(c.Command, want) {
		t.Fatalf("image %s command %q, want %q", c.Image, c.Command, want)
	}
	if len(c.Env) != 2 || c.Env[0].Name != RegistryEnv || c.Env[0].ValueFrom == nil || c.Env[0].ValueFrom.SecretKeyRef == nil ||
		c.Env[0].ValueFrom.SecretKeyRef.Name != "vigil-registry" || c.Env[0].ValueFrom.SecretKeyRef.Key != "dsn" ||
		c.Env[1] != (corev1.EnvVar{Name: "VIGIL_TRAIN_WORKERS", Value: "4"}) {
		t.Fatalf("env %+v", c.Env)
	}
	gpu := c.Resources.Limits[corev1.ResourceName(gpuResource)]
	if gpu.Cmp(resource.MustParse("1")) != 0 || c.Resources.Requests.Cpu().Cmp(resource.MustParse("4")) != 0 ||
		c.Resources.Limits.Memory().Cmp(resource.MustParse("16Gi")) != 0 {
		t.Fatalf("resources %+v", c.Resources)
	}
	if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != "/mnt/vigil" || len(pod.Volumes) != 1 ||
		pod.Volumes[0].PersistentVolumeClaim == nil || pod.Volumes[0].PersistentVolumeClaim.ClaimName != "vigil-store" ||
		c.VolumeMounts[0].Name != pod.Volumes[0].Name {
		t.Fatalf("store volume %+v %+v", c.VolumeMounts, pod.Volumes)
	}
	if len(pod.Tolerations) != 1 || pod.Tolerations[0].Key != gpuResource {
		t.Fatalf("tolerations %+v", pod.Tolerations)
	}

	// Without GPUs: no GPU limit, no toleration.
	b, err = testWorker(4, 0).Kubernetes()
	if err != nil {
		t.Fatal(err)
	}
	job = batchv1.Job{}
	if err := yaml.UnmarshalStrict(b, &job); err != nil {
		t.Fatal(err)
	}
	pod = job.Spec.Template.Spec
	if _, ok := pod.Containers[0].Resources.Limits[corev1.ResourceName(gpuResource)]; ok || len(pod.Tolerations) != 0 {
		t.Fatalf("CPU worker asks for a GPU: %+v %+v", pod.Containers[0].Resources, pod.Tolerations)
	}
}

// The AWS Batch files decode strictly into aws-sdk-go-v2's
// RegisterJobDefinitionInput and SubmitJobInput. The SDK's Go structs
// carry no json tags, and encoding/json matches names without regard to
// case, so every key is also checked to be the wire name, which for
// AWS Batch is the Go field name with a lower-case first letter (as the
// SDK's own serializers write it).
func TestBatchJob(t *testing.T) {
	w := testWorker(4, 1)
	b, err := w.BatchJobDefinition()
	if err != nil {
		t.Fatal(err)
	}
	var def batch.RegisterJobDefinitionInput
	decodeStrict(t, b, &def)
	checkKeys(t, b, reflect.TypeFor[batch.RegisterJobDefinitionInput](), lowerFirstName)
	if *def.JobDefinitionName != "vigil-sweep-7" || def.Type != batchtypes.JobDefinitionTypeContainer ||
		!slices.Equal(def.PlatformCapabilities, []batchtypes.PlatformCapability{batchtypes.PlatformCapabilityEc2}) ||
		*def.RetryStrategy.Attempts != 3 {
		t.Fatalf("definition %+v", def)
	}
	c := def.ContainerProperties
	if *c.Image != w.Image || !slices.Equal(c.Command, wantArgs) {
		t.Fatalf("image %s command %q, want %q", *c.Image, c.Command, wantArgs)
	}
	res := map[batchtypes.ResourceType]string{}
	for _, r := range c.ResourceRequirements {
		if !slices.Contains(r.Type.Values(), r.Type) {
			t.Fatalf("resource type %q is not one of %v", r.Type, r.Type.Values())
		}
		res[r.Type] = *r.Value
	}
	if res[batchtypes.ResourceTypeGpu] != "1" || res[batchtypes.ResourceTypeVcpu] != "4" || res[batchtypes.ResourceTypeMemory] != "16384" {
		t.Fatalf("resources %v", res)
	}
	if len(c.Secrets) != 1 || *c.Secrets[0].Name != RegistryEnv || *c.Secrets[0].ValueFrom != w.SecretARN ||
		len(c.Environment) != 1 || *c.Environment[0].Name != "VIGIL_TRAIN_WORKERS" {
		t.Fatalf("secrets %+v environment %+v", c.Secrets, c.Environment)
	}
	if len(c.Volumes) != 1 || c.Volumes[0].EfsVolumeConfiguration == nil || *c.Volumes[0].EfsVolumeConfiguration.FileSystemId != w.EFS ||
		len(c.MountPoints) != 1 || *c.MountPoints[0].ContainerPath != "/mnt/vigil" || *c.MountPoints[0].SourceVolume != *c.Volumes[0].Name {
		t.Fatalf("volumes %+v mounts %+v", c.Volumes, c.MountPoints)
	}

	b, err = w.BatchSubmitJob()
	if err != nil {
		t.Fatal(err)
	}
	var sub batch.SubmitJobInput
	decodeStrict(t, b, &sub)
	checkKeys(t, b, reflect.TypeFor[batch.SubmitJobInput](), lowerFirstName)
	if *sub.JobDefinition != "vigil-sweep-7" || *sub.JobQueue != "vigil-gpu" || sub.ArrayProperties == nil ||
		*sub.ArrayProperties.Size != 4 || sub.ContainerOverrides != nil {
		t.Fatalf("submit %+v", sub)
	}

	// One trial: Batch arrays start at 2, so a plain job names its index.
	w = testWorker(1, 0)
	w.EFS = ""
	b, err = w.BatchSubmitJob()
	if err != nil {
		t.Fatal(err)
	}
	sub = batch.SubmitJobInput{}
	decodeStrict(t, b, &sub)
	if sub.ArrayProperties != nil || sub.ContainerOverrides == nil || !slices.Equal(sub.ContainerOverrides.Command[len(wantArgs):], []string{"--index", "0"}) {
		t.Fatalf("single-trial submit %s", b)
	}
	b, err = w.BatchJobDefinition()
	if err != nil {
		t.Fatal(err)
	}
	def = batch.RegisterJobDefinitionInput{}
	decodeStrict(t, b, &def)
	for _, r := range def.ContainerProperties.ResourceRequirements {
		if r.Type == batchtypes.ResourceTypeGpu {
			t.Fatal("CPU worker asks for a GPU")
		}
	}
	if v := def.ContainerProperties.Volumes; len(v) != 1 || v[0].Host == nil || *v[0].Host.SourcePath != "/mnt/vigil" {
		t.Fatalf("host volume %+v", v)
	}
}

// The manifests run the image's own program: Dockerfile.gpu's ENTRYPOINT
// is vigil, which Kubernetes' command names and AWS Batch's command is
// appended to.
func TestImageEntrypoint(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile.gpu")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `ENTRYPOINT ["vigil"]`) || !strings.Contains(string(b), "/usr/local/bin/") {
		t.Fatal(`Dockerfile.gpu: want ENTRYPOINT ["vigil"] with vigil in /usr/local/bin; update deploy's commands`)
	}
}

// Settings the engines would refuse are errors.
func TestWorkerCheck(t *testing.T) {
	for _, mod := range []func(*Worker){
		func(w *Worker) { w.Name = "Vigil_Sweep" },
		func(w *Worker) { w.Trials = 0 },
		func(w *Worker) { w.Trials = 10001 },
		func(w *Worker) { w.Store = "relative/store" },
		func(w *Worker) { w.CPUs = 0 },
		func(w *Worker) { w.Env = []EnvVar{{Name: RegistryEnv, Value: "postgres://x"}} },
		func(w *Worker) { w.Env = []EnvVar{{Name: "AWS_BATCH_JOB_ARRAY_INDEX", Value: "0"}} },
	} {
		w := testWorker(4, 1)
		mod(&w)
		if _, err := w.Kubernetes(); err == nil {
			t.Errorf("%+v: accepted", w)
		}
	}
	w := testWorker(4, 1)
	w.SecretARN = ""
	if _, err := w.BatchJobDefinition(); err == nil {
		t.Error("AWS job definition without a secret accepted")
	}
}

func decodeStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("strict decode into %T: %v\n%s", v, err, b)
	}
}

// jsonTagName is a field's name in k8s.io/api JSON, as encoding/json
// reads it; inline reports an embedded struct without a name (or marked
// ",inline"), whose fields are the parent's.
func jsonTagName(f reflect.StructField) (name string, inline bool) {
	tag, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	if f.Anonymous && tag == "" || strings.Contains(opts, "inline") {
		return "", true
	}
	if tag == "-" || !f.IsExported() {
		return "", false
	}
	if tag == "" {
		return f.Name, false
	}
	return tag, false
}

// lowerFirstName is an AWS SDK field's name on the wire.
func lowerFirstName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	r := []rune(f.Name)
	r[0] = unicode.ToLower(r[0])
	return string(r), false
}

// checkKeys decodes the JSON doc generically and checks that every object
// key is a field name of typ (by name), exactly, recursing into structs,
// slices and maps; types with their own JSON decoding are leaves.
func checkKeys(t *testing.T, doc []byte, typ reflect.Type, name func(reflect.StructField) (string, bool)) {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	for _, err := range keyErrors("", v, typ, name) {
		t.Error(err)
	}
}

func keyErrors(path string, v any, typ reflect.Type, name func(reflect.StructField) (string, bool)) []string {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if reflect.PointerTo(typ).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return nil
	}
	var errs []string
	switch typ.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return []string{path + ": not an object"}
		}
		fields := map[string]reflect.Type{}
		var collect func(reflect.Type)
		collect = func(st reflect.Type) {
			for f := range st.Fields() {
				n, inline := name(f)
				if inline {
					collect(f.Type)
				} else if n != "" {
					fields[n] = f.Type
				}
			}
		}
		collect(typ)
		for k, e := range obj {
			ft, ok := fields[k]
			if !ok {
				errs = append(errs, path+"."+k+": not a field of "+typ.String())
				continue
			}
			errs = append(errs, keyErrors(path+"."+k, e, ft, name)...)
		}
	case reflect.Slice:
		if list, ok := v.([]any); ok {
			for _, e := range list {
				errs = append(errs, keyErrors(path+"[]", e, typ.Elem(), name)...)
			}
		}
	case reflect.Map:
		if obj, ok := v.(map[string]any); ok {
			for k, e := range obj {
				errs = append(errs, keyErrors(path+"."+k, e, typ.Elem(), name)...)
			}
		}
	}
	return errs
}

// The key check catches what case-insensitive decoding lets through.
func TestKeyCheckCatchesMisspelling(t *testing.T) {
	var def batch.RegisterJobDefinitionInput
	doc := `{"JobDefinitionName": "x", "type": "container", "containerProperties": {"Image": "i"}}`
	decodeStrict(t, []byte(doc), &def) // encoding/json accepts it
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	if errs := keyErrors("", v, reflect.TypeFor[batch.RegisterJobDefinitionInput](), lowerFirstName); len(errs) != 2 {
		t.Fatalf("AWS key errors %q, want .JobDefinitionName and .containerProperties.Image", errs)
	}
	doc = `{"apiVersion": "batch/v1", "kind": "Job", "spec": {"completionmode": "Indexed"}}`
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	if errs := keyErrors("", v, reflect.TypeFor[batchv1.Job](), jsonTagName); len(errs) != 1 {
		t.Fatalf("Kubernetes key errors %q, want .spec.completionmode", errs)
	}
}
