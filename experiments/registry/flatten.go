package registry

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// FlattenMetrics turns a metrics.json document into dotted keys:
// {"pooled": {"model": {"auc": 0.9}}} gives "pooled.model.auc" = 0.9, and
// array elements are keyed by index ("folds.0.auc"). Only numbers are
// kept; strings, booleans and nulls are dropped. A bare number at the
// top level is keyed "".
func FlattenMetrics(doc []byte) (map[string]float64, error) {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, fmt.Errorf("registry: flatten metrics: %w", err)
	}
	out := map[string]float64{}
	flatten(out, "", v)
	return out, nil
}

func flatten(out map[string]float64, prefix string, v any) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch v := v.(type) {
	case float64:
		out[prefix] = v
	case map[string]any:
		for k, child := range v {
			flatten(out, join(k), child)
		}
	case []any:
		for i, child := range v {
			flatten(out, join(strconv.Itoa(i)), child)
		}
	}
}
