package checkpoints

import (
	"encoding/json"
	"testing"
)

func TestOptimizerMetaJSONIsFlat(t *testing.T) {
	o := OptimizerMeta{Name: "sgd", Step: 7, Hyper: map[string]float64{"lr": 0.01, "momentum": 0.9}}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"lr":0.01,"momentum":0.9,"name":"sgd","step":7}` {
		t.Errorf("json %s", b)
	}
	var back OptimizerMeta
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Name != "sgd" || back.Step != 7 || len(back.Hyper) != 2 || back.Hyper["momentum"] != 0.9 {
		t.Errorf("decoded %+v", back)
	}
	if _, err := json.Marshal(OptimizerMeta{Hyper: map[string]float64{"step": 1}}); err == nil {
		t.Error("reserved hyperparameter name accepted")
	}
	if err := json.Unmarshal([]byte(`{"name":"adam","lr":"fast"}`), &back); err == nil {
		t.Error("non-numeric hyperparameter accepted")
	}
}
