package registry

import (
	"reflect"
	"testing"
)

func TestFlattenMetrics(t *testing.T) {
	doc := []byte(`{
		"pooled": {"model": {"auc": 0.91, "hit_rate": [0.5, 0.75]}, "name": "convvae"},
		"folds": [{"auc": 0.9}, {"auc": 1}],
		"epochs": 12, "ok": true, "note": null
	}`)
	got, err := FlattenMetrics(doc)
	must(t, err)
	want := map[string]float64{
		"pooled.model.auc": 0.91, "pooled.model.hit_rate.0": 0.5, "pooled.model.hit_rate.1": 0.75,
		"folds.0.auc": 0.9, "folds.1.auc": 1, "epochs": 12,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FlattenMetrics:\n got %v\nwant %v", got, want)
	}
	if _, err := FlattenMetrics([]byte(`{"auc":`)); err == nil {
		t.Error("FlattenMetrics accepted truncated JSON")
	}
}
