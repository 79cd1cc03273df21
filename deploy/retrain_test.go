package deploy

import (
	"os"
	"reflect"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"
)

// The nightly-retraining CronJob example is a valid batch/v1 CronJob
// (strictly decoded, every key spelled as the API's): it runs vigil
// retrain once at a time, and its pod failure policy ignores exit 3 (the
// champion was kept).
func TestRetrainCronJob(t *testing.T) {
	b, err := os.ReadFile("retrain/cronjob.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cj batchv1.CronJob
	if err := yaml.UnmarshalStrict(b, &cj); err != nil {
		t.Fatalf("strict decode: %v", err)
	}
	raw, err := yaml.YAMLToJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	checkKeys(t, raw, reflect.TypeFor[batchv1.CronJob](), jsonTagName)
	if cj.Kind != "CronJob" || cj.Spec.Schedule != "30 2 * * *" || cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Fatalf("cronjob %s %q %s", cj.Kind, cj.Spec.Schedule, cj.Spec.ConcurrencyPolicy)
	}
	job := cj.Spec.JobTemplate.Spec
	p := job.PodFailurePolicy
	if p == nil || len(p.Rules) != 1 || p.Rules[0].Action != batchv1.PodFailurePolicyActionIgnore ||
		p.Rules[0].OnExitCodes == nil || len(p.Rules[0].OnExitCodes.Values) != 1 || p.Rules[0].OnExitCodes.Values[0] != 3 {
		t.Fatalf("pod failure policy %+v", p)
	}
	c := job.Template.Spec.Containers[0]
	if !strings.Contains(strings.Join(c.Args, " "), "vigil retrain --champion") {
		t.Fatalf("args %q", c.Args)
	}
}
