package checkpoints

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Load reads the checkpoint directory at path. It fails with an error naming
// the offending file when meta.json is unreadable or of an unknown
// format_version, when the SHA-256 of weights.safetensors differs from the
// one recorded in meta.json (a corrupt file or a mismatched pair), or when
// the weights file is malformed. Tensors are sorted by name.
func Load(path string) (*Checkpoint, error) {
	meta, err := readMeta(path)
	if err != nil {
		return nil, err
	}
	wpath := filepath.Join(path, WeightsFile)
	data, err := os.ReadFile(wpath)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: load: %w", err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != meta.WeightsSHA256 {
		return nil, fmt.Errorf("checkpoints: load %s: sha256 %s does not match %q recorded in %s (corrupt or mismatched files)",
			wpath, got, meta.WeightsSHA256, MetaFile)
	}
	tensors, _, err := ReadSafetensors(data)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: load %s: %w", wpath, err)
	}
	return &Checkpoint{Meta: *meta, Tensors: tensors}, nil
}

// readMeta reads and checks the meta.json of the checkpoint at path.
func readMeta(path string) (*Meta, error) {
	mpath := filepath.Join(path, MetaFile)
	b, err := os.ReadFile(mpath)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: load: %w", err)
	}
	var meta Meta
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&meta); err != nil {
		return nil, fmt.Errorf("checkpoints: load %s: %w", mpath, err)
	}
	if meta.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("checkpoints: load %s: format_version %d is not supported (want %d)", mpath, meta.FormatVersion, FormatVersion)
	}
	if meta.WeightsSHA256 == "" {
		return nil, fmt.Errorf("checkpoints: load %s: missing weights_sha256", mpath)
	}
	return &meta, nil
}
