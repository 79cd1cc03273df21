package tabular

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/vigil-ml/vigil/eval/compare"
)

// ModelFile and HoldoutFile are the files Fit writes to the run directory.
const (
	ModelFile   = "model.json"
	HoldoutFile = compare.HoldoutFile
	modelFormat = "vigil.tabular/1"
)

// savedModel is model.json.
type savedModel struct {
	Format     string          `json:"format"`
	Pipeline   string          `json:"pipeline"`
	Params     Params          `json:"params"`
	Features   []string        `json:"features"`
	Scaler     *Scaler         `json:"scaler,omitempty"`
	Threshold  float64         `json:"threshold"`
	Classifier json.RawMessage `json:"classifier"`
}

// SaveModel writes model, its feature names and its alarm threshold to
// dir/model.json.
func SaveModel(dir string, m *Model, features []string, threshold float64) error {
	raw, err := marshalClassifier(m.clf)
	if err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, ModelFile), savedModel{Format: modelFormat, Pipeline: m.Pipeline.Name,
		Params: m.Params, Features: features, Scaler: m.scaler, Threshold: threshold, Classifier: raw})
}

// LoadModel reads dir/model.json, checking that it scores the features
// named.
func LoadModel(dir string, features []string) (*Model, float64, error) {
	path := filepath.Join(dir, ModelFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	var s savedModel
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	if s.Format != modelFormat {
		return nil, 0, fmt.Errorf("%s: format %q, this build reads %q", path, s.Format, modelFormat)
	}
	if !slices.Equal(s.Features, features) {
		return nil, 0, fmt.Errorf("%s: the model scores %d features, the data has %d (or other names)", path, len(s.Features), len(features))
	}
	if s.Scaler != nil && (len(s.Scaler.Mean) != len(features) || len(s.Scaler.Scale) != len(features)) {
		return nil, 0, fmt.Errorf("%s: the scaler does not match the %d features", path, len(features))
	}
	pipe, err := ParsePipeline(s.Pipeline)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	clf, err := unmarshalClassifier(pipe, s.Classifier)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	return &Model{Pipeline: pipe, Params: s.Params, scaler: s.Scaler, clf: clf}, s.Threshold, nil
}

func writeHoldout(dir string, hs holdoutScores) error {
	return compare.WriteHoldout(filepath.Join(dir, HoldoutFile), hs)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
