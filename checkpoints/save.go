package checkpoints

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Checkpoint is a set of tensors (model weights, optimizer moments, ...) and
// the metadata describing them.
type Checkpoint struct {
	Meta    Meta
	Tensors []Tensor
}

// Save writes c as DIR/step-NNNNNNNNN (from c.Meta.Step), creating dir if
// needed, and points DIR/latest at it. The directory is assembled in a
// temporary directory inside dir, every file is fsynced, and it is renamed
// into place. An existing checkpoint of the same step is replaced (moved
// aside, then deleted, so it is briefly absent). Save fills FormatVersion,
// WeightsSHA256 and (when zero) Created in the written metadata without
// modifying c. With keep > 0 the lowest-step directories beyond keep are
// then deleted (never the one just written); keep = 0 keeps all. On a
// pruning failure the returned path is valid and err says so.
func Save(dir string, c *Checkpoint, keep int) (path string, err error) {
	if c == nil {
		return "", errors.New("checkpoints: save: nil checkpoint")
	}
	if keep < 0 {
		return "", fmt.Errorf("checkpoints: save: keep %d is negative", keep)
	}
	meta := c.Meta
	if err := meta.check(); err != nil {
		return "", fmt.Errorf("checkpoints: save: %w", err)
	}
	if meta.FormatVersion == 0 {
		meta.FormatVersion = FormatVersion
	}
	if meta.Created.IsZero() {
		meta.Created = time.Now().UTC().Truncate(time.Second)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("checkpoints: save: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, "."+stepPrefix+"tmp-*")
	if err != nil {
		return "", fmt.Errorf("checkpoints: save: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := writeContents(tmp, &meta, c.Tensors); err != nil {
		return "", err
	}
	name := StepDirName(meta.Step)
	path = filepath.Join(dir, name)
	if err := replaceDir(tmp, path); err != nil {
		return "", err
	}
	if err := syncDir(dir); err != nil {
		return "", err
	}
	if err := writeFileAtomic(filepath.Join(dir, LatestFile), []byte(name+"\n")); err != nil {
		return "", err
	}
	if err := prune(dir, name, keep); err != nil {
		return path, fmt.Errorf("checkpoints: saved %s but pruning failed: %w", path, err)
	}
	return path, nil
}

// writeContents writes the weights file and meta.json into tmp and syncs tmp.
// It sets meta.WeightsSHA256.
func writeContents(tmp string, meta *Meta, tensors []Tensor) error {
	h := sha256.New()
	err := createSynced(filepath.Join(tmp, WeightsFile), func(f *os.File) error {
		return WriteSafetensors(io.MultiWriter(f, h), tensors, map[string]string{"format": "vigil"})
	})
	if err != nil {
		return fmt.Errorf("checkpoints: save: %w", err)
	}
	meta.WeightsSHA256 = hex.EncodeToString(h.Sum(nil))
	js, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return fmt.Errorf("checkpoints: save: encode %s: %w", MetaFile, err)
	}
	err = createSynced(filepath.Join(tmp, MetaFile), func(f *os.File) error {
		if _, err := f.Write(append(js, '\n')); err != nil {
			return fmt.Errorf("checkpoints: save: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return syncDir(tmp)
}

// replaceDir renames tmp to path, first moving an existing path aside and
// deleting it afterwards.
func replaceDir(tmp, path string) error {
	old := tmp + ".old"
	moved := false
	if _, err := os.Stat(path); err == nil {
		if err := os.Rename(path, old); err != nil {
			return fmt.Errorf("checkpoints: save: %w", err)
		}
		moved = true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("checkpoints: save: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		if moved {
			os.Rename(old, path)
		}
		return fmt.Errorf("checkpoints: save: %w", err)
	}
	if moved {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("checkpoints: save: remove replaced checkpoint: %w", err)
		}
	}
	return nil
}

// prune deletes the lowest-step directories of dir beyond keep, sparing current.
func prune(dir, current string, keep int) error {
	if keep == 0 {
		return nil
	}
	steps, err := listSteps(dir)
	if err != nil {
		return err
	}
	excess := len(steps) - keep
	for _, s := range steps {
		if excess <= 0 {
			break
		}
		if s.name == current {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, s.name)); err != nil {
			return err
		}
		excess--
	}
	return syncDir(dir)
}
