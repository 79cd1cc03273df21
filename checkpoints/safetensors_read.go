package checkpoints

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
)

// tensorInfo is one tensor entry of a safetensors header.
type tensorInfo struct {
	Dtype       string    `json:"dtype"`
	Shape       *[]int64  `json:"shape"`
	DataOffsets *[]uint64 `json:"data_offsets"`
}

// span is a validated tensor entry: data lies at [begin, end) of the data section.
type span struct {
	name       string
	shape      []int
	begin, end uint64
}

// ReadSafetensors parses a complete safetensors file. It accepts only F32
// tensors and checks that the header fits the file, that every shape matches
// its byte range and that the ranges tile the data section exactly (no
// overlap, no gap, nothing after the last tensor). Tensors are returned
// sorted by name; metadata is nil when the file has none.
func ReadSafetensors(data []byte) ([]Tensor, map[string]string, error) {
	spans, meta, body, err := parseLayout(data)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Tensor, len(spans))
	for i, s := range spans {
		raw := body[s.begin:s.end]
		vals := make([]float32, len(raw)/4)
		for j := range vals {
			vals[j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
		}
		out[i] = Tensor{Name: s.name, Shape: s.shape, Data: vals}
	}
	slices.SortFunc(out, func(a, b Tensor) int { return strings.Compare(a.Name, b.Name) })
	return out, meta, nil
}

// ReadSafetensorsFile reads and parses the safetensors file at path; errors
// name the file.
func ReadSafetensorsFile(path string) ([]Tensor, map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoints: %w", err)
	}
	ts, meta, err := ReadSafetensors(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return ts, meta, nil
}

// parseLayout validates the header of data and returns the tensor spans in
// data order, the metadata and the data section.
func parseLayout(data []byte) ([]span, map[string]string, []byte, error) {
	if len(data) < 8 {
		return nil, nil, nil, fmt.Errorf("safetensors: file of %d bytes is shorter than the 8-byte header length", len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	if n > maxHeaderSize {
		return nil, nil, nil, fmt.Errorf("safetensors: header length %d exceeds the limit of %d bytes", n, maxHeaderSize)
	}
	if n > uint64(len(data)-8) {
		return nil, nil, nil, fmt.Errorf("safetensors: header length %d exceeds the %d bytes after it (truncated file?)", n, len(data)-8)
	}
	body := data[8+n:]
	spans, meta, err := parseHeader(data[8:8+n], uint64(len(body)))
	if err != nil {
		return nil, nil, nil, err
	}
	return spans, meta, body, nil
}

// parseHeader decodes the JSON header and checks every entry against a data
// section of size bytes.
func parseHeader(h []byte, size uint64) ([]span, map[string]string, error) {
	if len(h) == 0 || h[0] != '{' {
		return nil, nil, errors.New("safetensors: header is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(h))
	dec.DisallowUnknownFields()
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("safetensors: header: %w", err)
	}
	var (
		spans []span
		meta  map[string]string
		seen  = map[string]bool{}
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("safetensors: header: %w", err)
		}
		name, _ := tok.(string)
		if seen[name] {
			return nil, nil, fmt.Errorf("safetensors: header: duplicate key %q", name)
		}
		seen[name] = true
		if name == metadataKey {
			if err := dec.Decode(&meta); err != nil {
				return nil, nil, fmt.Errorf("safetensors: header: %s: %w", metadataKey, err)
			}
			continue
		}
		var info tensorInfo
		if err := dec.Decode(&info); err != nil {
			return nil, nil, fmt.Errorf("safetensors: header: tensor %q: %w", name, err)
		}
		s, err := info.span(name, size)
		if err != nil {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
		spans = append(spans, s)
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("safetensors: header: %w", err)
	}
	if tok, err := dec.Token(); err != io.EOF {
		return nil, nil, fmt.Errorf("safetensors: header: unexpected %v after the JSON object", tok)
	}
	if err := checkTiling(spans, size); err != nil {
		return nil, nil, err
	}
	return spans, meta, nil
}

// span validates one header entry against a data section of size bytes.
func (info *tensorInfo) span(name string, size uint64) (span, error) {
	if name == "" {
		return span{}, errors.New("empty tensor name")
	}
	if info.Dtype != "F32" {
		return span{}, fmt.Errorf("dtype %q is not supported (only F32)", info.Dtype)
	}
	if info.Shape == nil {
		return span{}, errors.New("missing shape")
	}
	if info.DataOffsets == nil || len(*info.DataOffsets) != 2 {
		return span{}, errors.New("data_offsets must be [begin, end]")
	}
	begin, end := (*info.DataOffsets)[0], (*info.DataOffsets)[1]
	if begin > end || end > size {
		return span{}, fmt.Errorf("data_offsets [%d, %d] outside the %d-byte data section", begin, end, size)
	}
	shape := make([]int, len(*info.Shape))
	for i, d := range *info.Shape {
		if d < 0 || int64(int(d)) != d {
			return span{}, fmt.Errorf("shape %v has an invalid dimension", *info.Shape)
		}
		shape[i] = int(d)
	}
	n, err := numel(shape, math.MaxInt/4)
	if err != nil {
		return span{}, err
	}
	if uint64(n)*4 != end-begin {
		return span{}, fmt.Errorf("shape %v needs %d bytes, data_offsets [%d, %d] hold %d", shape, 4*n, begin, end, end-begin)
	}
	return span{name: name, shape: shape, begin: begin, end: end}, nil
}

// checkTiling sorts spans by offset and checks that they cover [0, size)
// exactly, without overlap or gaps.
func checkTiling(spans []span, size uint64) error {
	slices.SortFunc(spans, func(a, b span) int {
		if a.begin != b.begin {
			if a.begin < b.begin {
				return -1
			}
			return 1
		}
		if a.end < b.end {
			return -1
		}
		if a.end > b.end {
			return 1
		}
		return 0
	})
	var off uint64
	for _, s := range spans {
		if s.begin != off {
			if s.begin < off {
				return fmt.Errorf("safetensors: tensor %q at [%d, %d] overlaps the previous tensor ending at %d", s.name, s.begin, s.end, off)
			}
			return fmt.Errorf("safetensors: gap of %d bytes before tensor %q at offset %d", s.begin-off, s.name, s.begin)
		}
		off = s.end
	}
	if off != size {
		return fmt.Errorf("safetensors: tensors cover %d bytes but the data section holds %d (truncated or trailing data)", off, size)
	}
	return nil
}
