package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigil-ml/vigil/checkpoints"
	"github.com/vigil-ml/vigil/models"
)

// SavedModel is a trained model reloaded from disk, for serving and batch
// scoring.
type SavedModel struct {
	Config     Config
	Unit       string // the unit whose model it is
	Checkpoint string // the weights' file
	Model      models.Model
}

// OpenModel reloads the newest trained model in dir: a run directory (what
// vigil run --out wrote, holding one unit's model) or a model directory
// inside one (RUN/models/<unit>), whose checkpoint carries its config.
func OpenModel(dir string) (*SavedModel, error) {
	modelDir, err := modelDirOf(dir)
	if err != nil {
		return nil, err
	}
	path, ok, err := checkpoints.Latest(modelDir)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%s holds no checkpoint (is it a run or model directory?)", modelDir)
	}
	c, err := checkpoints.Load(path)
	if err != nil {
		return nil, err
	}
	if len(c.Meta.Config) == 0 {
		return nil, fmt.Errorf("%s carries no config", path)
	}
	cfg, err := parse(c.Meta.Config, nil, false)
	if err != nil {
		return nil, fmt.Errorf("%s: config: %w", path, err)
	}
	x, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	m, err := x.newModel(0, x.in)
	if err != nil {
		return nil, err
	}
	if err := copyWeights(c, path, m.Registry()); err != nil {
		return nil, err
	}
	return &SavedModel{Config: cfg, Unit: filepath.Base(modelDir), Checkpoint: path, Model: m}, nil
}

// modelDirOf is dir when it holds checkpoints, else the one model
// directory of the run directory dir.
func modelDirOf(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, "config.json")); errors.Is(err, fs.ErrNotExist) {
		return dir, nil
	}
	entries, err := os.ReadDir(filepath.Join(dir, "models"))
	if err != nil {
		return "", fmt.Errorf("run directory %s: %w", dir, err)
	}
	var units []string
	for _, e := range entries {
		if e.IsDir() {
			units = append(units, e.Name())
		}
	}
	switch len(units) {
	case 0:
		return "", fmt.Errorf("run directory %s has no trained model yet", dir)
	case 1:
		return filepath.Join(dir, "models", units[0]), nil
	}
	return "", fmt.Errorf("run directory %s has %d models (%s...); name one: %s", dir, len(units), strings.Join(units[:min(3, len(units))], ", "), filepath.Join(dir, "models", units[0]))
}

// ModelDir is the model directory OpenModel reads for dir.
func ModelDir(dir string) (string, error) { return modelDirOf(dir) }
