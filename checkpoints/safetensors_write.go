package checkpoints

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// metadataKey is the reserved header key holding the string metadata map.
const metadataKey = "__metadata__"

// maxHeaderSize bounds the JSON header (bytes), as in the reference
// implementation.
const maxHeaderSize = 100_000_000

// WriteSafetensors writes tensors as F32 in the safetensors format: an 8-byte
// little-endian header length, a JSON header (padded with spaces to a
// multiple of 8 bytes) and the little-endian data of every tensor, ordered by
// name. metadata may be nil. It returns an error on duplicate or reserved
// names, on a tensor whose data does not match its shape, or when w fails.
func WriteSafetensors(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	sorted, err := sortTensors(tensors)
	if err != nil {
		return err
	}
	header, err := encodeHeader(sorted, metadata)
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(header)))
	if _, err := w.Write(n[:]); err != nil {
		return fmt.Errorf("checkpoints: write safetensors header: %w", err)
	}
	if _, err := w.Write(header); err != nil {
		return fmt.Errorf("checkpoints: write safetensors header: %w", err)
	}
	buf := make([]byte, 0, 1<<16)
	for _, t := range sorted {
		for _, v := range t.Data {
			if len(buf)+4 > cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return fmt.Errorf("checkpoints: write tensor %q: %w", t.Name, err)
				}
				buf = buf[:0]
			}
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("checkpoints: write safetensors data: %w", err)
	}
	return nil
}

// sortTensors validates tensors and returns them ordered by name.
func sortTensors(tensors []Tensor) ([]Tensor, error) {
	sorted := slices.Clone(tensors)
	for i := range sorted {
		if err := sorted[i].check(); err != nil {
			return nil, fmt.Errorf("checkpoints: %w", err)
		}
		if sorted[i].Name == metadataKey {
			return nil, fmt.Errorf("checkpoints: tensor name %q is reserved", metadataKey)
		}
	}
	slices.SortFunc(sorted, func(a, b Tensor) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Name == sorted[i-1].Name {
			return nil, fmt.Errorf("checkpoints: duplicate tensor name %q", sorted[i].Name)
		}
	}
	return sorted, nil
}

// encodeHeader returns the JSON header for sorted tensors laid out back to
// back, padded with spaces to a multiple of 8 bytes.
func encodeHeader(sorted []Tensor, metadata map[string]string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	if len(metadata) > 0 {
		m, err := json.Marshal(metadata)
		if err != nil {
			return nil, fmt.Errorf("checkpoints: encode metadata: %w", err)
		}
		fmt.Fprintf(&b, "%q:%s", metadataKey, m)
	}
	var off uint64
	for i, t := range sorted {
		if i > 0 || len(metadata) > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(t.Name)
		if err != nil {
			return nil, fmt.Errorf("checkpoints: encode tensor name %q: %w", t.Name, err)
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		s, _ := json.Marshal(shape)
		end := off + 4*uint64(len(t.Data))
		fmt.Fprintf(&b, `%s:{"dtype":"F32","shape":%s,"data_offsets":[%d,%d]}`, name, s, off, end)
		off = end
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	if b.Len() > maxHeaderSize {
		return nil, fmt.Errorf("checkpoints: safetensors header of %d bytes exceeds %d", b.Len(), maxHeaderSize)
	}
	return b.Bytes(), nil
}
