package logins

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/go-viper/mapstructure/v2"
	"go.yaml.in/yaml/v3"
)

func TestSectionsDefaults(t *testing.T) {
	m := Task{}.Sections()
	c, err := sections(m)
	if err != nil {
		t.Fatal(err)
	}
	d, e := c.Data, c.Eval
	if d.Kind != "synthetic" || d.TrainDays != 7 || d.TrainFraction != 0.7 || d.ValidationFraction != 0.1 || d.MaxEvents != 0 || d.Lenient {
		t.Errorf("data defaults %+v", d)
	}
	if d.Synthetic.Users != 1000 || d.Synthetic.Days != 10 || d.Synthetic.Networks != 2000 || d.Synthetic.Seed != 0 {
		t.Errorf("synthetic defaults %+v", d.Synthetic)
	}
	if e.BatchSize != 10000 || !slices.Equal(e.AttackRates, []float64{0.01, 0.5}) || !slices.Equal(e.DetectionRates, []float64{1, 0.95}) || !e.KnownEntitiesOnly {
		t.Errorf("eval defaults %+v", e)
	}
	in, err := Task{}.Input(m)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.IntShape, []int{2}) || len(in.FloatShape) != 0 || in.Vocab != 0 {
		t.Errorf("input %+v", in)
	}
	if (Task{}).Name() != "logins" || (Task{}).DefaultKind() != "ipinsights" {
		t.Error("name or default kind")
	}
}

func TestValidateNamesEveryKey(t *testing.T) {
	m := Task{}.Sections()
	c, _ := sections(m)
	c.Data.Kind = "pairs"
	c.Data.TrainDays = 0
	c.Data.TrainFraction = 1
	c.Data.ValidationFraction = -0.1
	c.Data.MaxEvents = -1
	c.Data.SSHD.Year = -3
	c.Eval.BatchSize = 0
	c.Eval.AttackRates = []float64{0.5, 0, 0.5}
	c.Eval.DetectionRates = []float64{1.5}
	_, err := Task{}.Input(m)
	if err == nil {
		t.Fatal("no error")
	}
	for _, key := range []string{"data.path", "data.train_days", "data.train_fraction", "data.validation_fraction", "data.max_events",
		"data.sshd.year", "eval.batch_size", "eval.attack_rates[1]", "eval.attack_rates[2]", "eval.detection_rates[0]"} {
		if !strings.Contains(err.Error(), key+":") {
			t.Errorf("error does not name %s:\n%v", key, err)
		}
	}
}

func TestValidateSynthetic(t *testing.T) {
	m := Task{}.Sections()
	c, _ := sections(m)
	c.Data.Synthetic = SyntheticConfig{Users: 0, Networks: 2, ISPShare: 1, Days: 5, LoginScale: 0.5, LoginShape: 0, MaxLogins: 0}
	c.Data.TrainDays = 5
	c.Eval.AttackRates, c.Eval.DetectionRates = nil, nil
	err := c.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, key := range []string{"data.synthetic.users", "data.synthetic.networks", "data.synthetic.isp_share", "data.train_days",
		"data.synthetic.login_scale", "data.synthetic.login_shape", "data.synthetic.max_logins", "eval.attack_rates", "eval.detection_rates"} {
		if !strings.Contains(err.Error(), key+":") {
			t.Errorf("error does not name %s:\n%v", key, err)
		}
	}
	c.Data.Kind = "syslog"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), `data.kind: "syslog"`) {
		t.Errorf("bad kind: %v", err)
	}
}

// TestExampleSections decodes testdata/sections.yaml strictly over the
// defaults, as the runner does: every key it spells exists.
func TestExampleSections(t *testing.T) {
	b, err := os.ReadFile("testdata/sections.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	m := Task{}.Sections()
	for k, v := range raw {
		dst, ok := m[k]
		if !ok {
			t.Fatalf("section %q is not the task's", k)
		}
		dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{Result: dst, ErrorUnused: true, WeaklyTypedInput: true, TagName: "mapstructure"})
		if err != nil {
			t.Fatal(err)
		}
		if err := dec.Decode(v); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
	if _, err := (Task{}).Input(m); err != nil {
		t.Fatal(err)
	}
	if c, _ := sections(m); c.Data.Synthetic.Users != 200 || c.Data.CSV.EntityColumn != "entity" {
		t.Errorf("decoded %+v", c.Data)
	}
}

func TestAttackSetNames(t *testing.T) {
	for rate, want := range map[float64]string{0.01: "attacks_1pct", 0.5: "attacks_50pct", 0.005: "attacks_0p5pct", 0.07: "attacks_7pct", 1: "attacks_100pct"} {
		if got := attackSet(rate); got != want {
			t.Errorf("attackSet(%v) = %s, want %s", rate, got, want)
		}
	}
}
