package experiments

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-ml/vigil/experiments/configs"
)

func TestShippedConfigsLoad(t *testing.T) {
	for _, name := range configs.Names() {
		data, err := configs.Read(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := Parse(data, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if cfg.Name != name {
			t.Errorf("%s: name %q", name, cfg.Name)
		}
	}
}

func TestUnknownKeyIsAnError(t *testing.T) {
	_, err := Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic}\nmodel: {filtres: [1]}\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "filtres") {
		t.Fatalf("want an error naming the unknown key, got %v", err)
	}
}

func TestSetOverridesAndDefaults(t *testing.T) {
	cfg, err := Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic}\n"),
		[]string{"train.epochs=7", "model.filters=[8, 16]", "model.strides=[1,2]", "model.dropouts=[0,0.1]", "data.path=a/b"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Train.Epochs != 7 || fmt.Sprint(key(t, cfg, "model", "filters")) != "[8 16]" || key(t, cfg, "data", "path") != "a/b" {
		t.Fatalf("overrides not applied: %+v", cfg)
	}
	if cfg.Train.BatchSize != 16 || key(t, cfg, "embedding", "dim") != 50.0 || key(t, cfg, "model", "kind") != "convvae" {
		t.Fatalf("defaults lost: batch %d dim %v", cfg.Train.BatchSize, key(t, cfg, "embedding", "dim"))
	}
	if _, err := Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic}\n"), []string{"train.epochz=1"}); err == nil {
		t.Fatal("unknown --set key accepted")
	}
}

// key is a section's key of cfg as config.json holds it.
func key(t *testing.T, cfg Config, section, name string) any {
	t.Helper()
	raw, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	sec, _ := tree[section].(map[string]any)
	return sec[name]
}

func TestEnvOverride(t *testing.T) {
	t.Setenv("VIGIL_TRAIN_EPOCHS", "3")
	cfg, err := Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic}\ntrain: {epochs: 9}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Train.Epochs != 3 {
		t.Fatalf("env override: epochs %d, want 3", cfg.Train.Epochs)
	}
}

func TestValidationNamesEveryProblem(t *testing.T) {
	_, err := Parse([]byte("version: 1\nname: x\ndevice: tpu\ndata: {kind: sea}\ntrain: {optimizer: rmsprop}\n"), nil)
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"device", "data.path", "train.optimizer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if _, err := Parse([]byte("version: 2\nname: x\ndata: {kind: synthetic}\n"), nil); err == nil {
		t.Error("unsupported version accepted")
	}
}

func TestUnknownTaskAndKindListTheKnownOnes(t *testing.T) {
	_, err := Parse([]byte("version: 1\nname: x\ntask: phishing\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `"phishing" is not a task (known: cert, logins, masquerade, miner, syscalls)`) {
		t.Fatalf("unknown task: %v", err)
	}
	_, err = Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic}\n"), []string{"model.kind=transformer"})
	if err == nil || !strings.Contains(err.Error(), `"transformer" is not a model family (known: convvae, ipinsights, linear, lstm, vaegan)`) {
		t.Fatalf("unknown model kind: %v", err)
	}
}

// TestConfigJSONRoundTrips: config.json, read back, is the same config.
func TestConfigJSONRoundTrips(t *testing.T) {
	cfg, err := Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic, num_users: 3}\nmodel: {latent: 4}\n"), []string{"eval.batch_size=7"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := parse(a, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(back)
	if string(a) != string(b) {
		t.Fatalf("config.json %s\nread back as %s", a, b)
	}
	for _, want := range []string{`"latent":4`, `"batch_size":7`, `"num_users":3`, `"task":"masquerade"`, `"kind":"convvae"`} {
		if !strings.Contains(string(a), want) {
			t.Errorf("config.json lacks %s: %s", want, a)
		}
	}
}

// TestFamilyTrainDefaults: an ipinsights config takes SageMaker's train
// defaults unless it sets its own; other families keep the framework's.
func TestFamilyTrainDefaults(t *testing.T) {
	cfg, err := Parse([]byte("version: 1\nname: x\ntask: logins\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Train
	if cfg.Kind != "ipinsights" || got.Epochs != 10 || got.BatchSize != 10000 || got.LR != 0.001 || got.WeightDecay != 1e-5 || got.Patience != 0 {
		t.Fatalf("ipinsights train defaults: %s %+v", cfg.Kind, got)
	}
	cfg, err = Parse([]byte("version: 1\nname: x\ntask: logins\ntrain: {epochs: 2}\n"), []string{"train.weight_decay=0"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Train.Epochs != 2 || cfg.Train.WeightDecay != 0 || cfg.Train.BatchSize != 10000 {
		t.Fatalf("overrides: %+v", cfg.Train)
	}
	other, err := Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if other.Train.BatchSize != base().Train.BatchSize || other.Train.WeightDecay != 0 {
		t.Fatalf("convvae train defaults changed: %+v", other.Train)
	}
	// config.json of an ipinsights run reads back to the same config.
	a, _ := json.Marshal(cfg)
	if back, err := parse(a, nil, false); err != nil || back.Train != cfg.Train {
		t.Fatalf("round trip: %+v, %v", back.Train, err)
	}
}
