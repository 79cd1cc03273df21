package experiments

import (
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
	if cfg.Train.Epochs != 7 || len(cfg.Model.Filters) != 2 || cfg.Model.Filters[1] != 16 || cfg.Data.Path != "a/b" {
		t.Fatalf("overrides not applied: %+v", cfg)
	}
	if cfg.Train.BatchSize != 16 || cfg.Embedding.Dim != 50 {
		t.Fatalf("defaults lost: batch %d dim %d", cfg.Train.BatchSize, cfg.Embedding.Dim)
	}
	if _, err := Parse([]byte("version: 1\nname: x\ndata: {kind: synthetic}\n"), []string{"train.epochz=1"}); err == nil {
		t.Fatal("unknown --set key accepted")
	}
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
