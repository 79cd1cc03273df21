package checkpoints

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// FormatVersion is the meta.json layout written by this package.
const FormatVersion = 1

// Meta is the content of a checkpoint's meta.json.
type Meta struct {
	// FormatVersion is the layout version; Save writes FormatVersion when 0.
	FormatVersion int `json:"format_version"`
	// Step is the number of completed optimizer steps.
	Step int `json:"step"`
	// Epoch is the number of completed epochs.
	Epoch int `json:"epoch"`
	// Config is the raw JSON of the experiment configuration (may be empty).
	Config json.RawMessage `json:"config,omitempty"`
	// Optimizer names the optimizer and its scalar state; its moment tensors
	// live in the weights file under "optim/<kind>/<param>".
	Optimizer OptimizerMeta `json:"optimizer"`
	// RNG is the base64 of the noise generator's math/rand/v2 PCG MarshalBinary.
	RNG string `json:"rng,omitempty"`
	// Metrics holds the latest scalar metrics (finite values only).
	Metrics map[string]float64 `json:"metrics,omitempty"`
	// Trainer is opaque resumable state of the training loop.
	Trainer json.RawMessage `json:"trainer,omitempty"`
	// WeightsSHA256 is the hex SHA-256 of weights.safetensors; Save sets it.
	WeightsSHA256 string `json:"weights_sha256"`
	// Created is the save time (UTC, whole seconds); Save sets it when zero.
	Created time.Time `json:"created"`
}

// OptimizerMeta is the optimizer's name, step count and hyperparameters.
// In JSON the hyperparameters sit beside "name" and "step":
// {"name":"adam","step":10,"lr":0.001,"beta1":0.9,...}.
type OptimizerMeta struct {
	Name  string
	Step  int
	Hyper map[string]float64
}

// MarshalJSON flattens Hyper into the object; hyperparameters named "name"
// or "step", or with non-finite values, are errors.
func (o OptimizerMeta) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(o.Hyper)+2)
	for k, v := range o.Hyper {
		if k == "name" || k == "step" {
			return nil, fmt.Errorf("checkpoints: optimizer hyperparameter name %q is reserved", k)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("checkpoints: optimizer hyperparameter %q is %v", k, v)
		}
		m[k] = v
	}
	m["name"] = o.Name
	m["step"] = o.Step
	return json.Marshal(m)
}

// UnmarshalJSON reads "name", "step" and every other key as a number-valued
// hyperparameter.
func (o *OptimizerMeta) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var out OptimizerMeta
	for k, v := range raw {
		var err error
		switch k {
		case "name":
			err = json.Unmarshal(v, &out.Name)
		case "step":
			err = json.Unmarshal(v, &out.Step)
		default:
			var f float64
			if err = json.Unmarshal(v, &f); err == nil {
				if out.Hyper == nil {
					out.Hyper = map[string]float64{}
				}
				out.Hyper[k] = f
			}
		}
		if err != nil {
			return fmt.Errorf("optimizer %q: %w", k, err)
		}
	}
	*o = out
	return nil
}

// check reports metadata that cannot be written faithfully.
func (m *Meta) check() error {
	if m.Step < 0 || m.Epoch < 0 {
		return fmt.Errorf("negative step %d or epoch %d", m.Step, m.Epoch)
	}
	for k, v := range m.Metrics {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("metric %q is %v", k, v)
		}
	}
	if len(m.Config) > 0 && !json.Valid(m.Config) {
		return fmt.Errorf("config is not valid JSON")
	}
	if len(m.Trainer) > 0 && !json.Valid(m.Trainer) {
		return fmt.Errorf("trainer state is not valid JSON")
	}
	return nil
}
