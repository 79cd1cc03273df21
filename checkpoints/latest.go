package checkpoints

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Latest returns the newest valid checkpoint under dir: the one named by
// DIR/latest when it passes a quick check, otherwise the highest-numbered
// step directory that does. The quick check reads meta.json and the weights
// header (and compares the weights file size with it) but does not hash the
// weights; Load does. ok is false when there is none (including when dir
// does not exist); err reports an unreadable dir.
func Latest(dir string) (path string, ok bool, err error) {
	if b, err := os.ReadFile(filepath.Join(dir, LatestFile)); err == nil {
		name := strings.TrimSpace(string(b))
		if _, isStep := parseStepDir(name); isStep {
			p := filepath.Join(dir, name)
			if quickCheck(p) == nil {
				return p, true, nil
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", false, fmt.Errorf("checkpoints: %w", err)
	}
	steps, err := listSteps(dir)
	if err != nil {
		return "", false, err
	}
	for i := len(steps) - 1; i >= 0; i-- {
		p := filepath.Join(dir, steps[i].name)
		if quickCheck(p) == nil {
			return p, true, nil
		}
	}
	return "", false, nil
}

// quickCheck validates a checkpoint's meta.json and the layout of its weights
// file header without reading the tensor data.
func quickCheck(path string) error {
	if _, err := readMeta(path); err != nil {
		return err
	}
	f, err := os.Open(filepath.Join(path, WeightsFile))
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var n [8]byte
	if _, err := io.ReadFull(f, n[:]); err != nil {
		return err
	}
	hlen := binary.LittleEndian.Uint64(n[:])
	if hlen > maxHeaderSize || int64(hlen) > st.Size()-8 {
		return fmt.Errorf("header length %d does not fit the file", hlen)
	}
	h := make([]byte, hlen)
	if _, err := io.ReadFull(f, h); err != nil {
		return err
	}
	_, _, err = parseHeader(h, uint64(st.Size()-8-int64(hlen)))
	return err
}
