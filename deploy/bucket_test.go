package deploy

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/batch"
	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"
)

// With a bucket store nothing is mounted: the workers get --store
// s3://..., and the bucket's credentials from the Kubernetes Secret or the
// Secrets Manager secret's JSON keys; both manifests still decode strictly.
func TestBucketStoreManifests(t *testing.T) {
	w := testWorker(4, 1)
	w.Store, w.S3Secret = "s3://vigil-sweeps/team-a", "vigil-s3"
	w.S3SecretARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil-s3"
	b, err := w.Kubernetes()
	if err != nil {
		t.Fatal(err)
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict(b, &job); err != nil {
		t.Fatalf("strict decode: %v\n%s", err, b)
	}
	raw, _ := yaml.YAMLToJSON(b)
	checkKeys(t, raw, reflect.TypeFor[batchv1.Job](), jsonTagName)
	pod := job.Spec.Template.Spec
	c := pod.Containers[0]
	if len(pod.Volumes) != 0 || len(c.VolumeMounts) != 0 {
		t.Fatalf("a bucket store mounts nothing: %v %v", pod.Volumes, c.VolumeMounts)
	}
	if i := slices.Index(c.Command, "--store"); i < 0 || c.Command[i+1] != "s3://vigil-sweeps/team-a" {
		t.Fatalf("command %q", c.Command)
	}
	keys := map[string]string{}
	for _, e := range c.Env {
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil && e.ValueFrom.SecretKeyRef.Name == "vigil-s3" {
			keys[e.Name] = e.ValueFrom.SecretKeyRef.Key
		}
	}
	if keys["AWS_ACCESS_KEY_ID"] != "access_key_id" || keys["AWS_SECRET_ACCESS_KEY"] != "secret_access_key" {
		t.Fatalf("credentials %v", keys)
	}

	jb, err := w.BatchJobDefinition()
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(jb)))
	dec.DisallowUnknownFields()
	var def batch.RegisterJobDefinitionInput
	if err := dec.Decode(&def); err != nil {
		t.Fatalf("strict decode: %v\n%s", err, jb)
	}
	checkKeys(t, jb, reflect.TypeFor[batch.RegisterJobDefinitionInput](), lowerFirstName)
	cp := def.ContainerProperties
	if len(cp.Volumes) != 0 || len(cp.MountPoints) != 0 || len(cp.Secrets) != 3 ||
		*cp.Secrets[1].Name != "AWS_ACCESS_KEY_ID" || *cp.Secrets[1].ValueFrom != w.S3SecretARN+":access_key_id::" {
		t.Fatalf("container properties: %d volumes, %d mounts, secrets %d", len(cp.Volumes), len(cp.MountPoints), len(cp.Secrets))
	}
	w.S3SecretARN = ""
	if _, err := w.BatchJobDefinition(); err == nil || !strings.Contains(err.Error(), "bucket store") {
		t.Fatalf("no credentials secret: %v", err)
	}
	w.Store = "relative/dir"
	if _, err := w.Kubernetes(); err == nil {
		t.Fatal("a relative store path was accepted")
	}
}
