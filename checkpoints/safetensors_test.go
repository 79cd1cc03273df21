package checkpoints

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

func sampleTensors() []Tensor {
	return []Tensor{
		{Name: "enc/w", Shape: []int{2, 3}, Data: []float32{1, -2, 3.5, float32(math.Inf(1)), 0, float32(math.Copysign(0, -1))}},
		{Name: "b", Shape: []int{3}, Data: []float32{0.25, 1e-30, -7}},
		{Name: "scalar", Shape: []int{}, Data: []float32{42}},
		{Name: "empty", Shape: []int{0, 4}, Data: []float32{}},
	}
}

func encode(t testing.TB, ts []Tensor, meta map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, ts, meta); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sameTensors(t *testing.T, got, want []Tensor) {
	t.Helper()
	want = slices.Clone(want)
	slices.SortFunc(want, func(a, b Tensor) int { return strings.Compare(a.Name, b.Name) })
	if len(got) != len(want) {
		t.Fatalf("got %d tensors, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || !slices.Equal(g.Shape, w.Shape) || len(g.Data) != len(w.Data) {
			t.Fatalf("tensor %d: got %q %v (%d values), want %q %v (%d values)", i, g.Name, g.Shape, len(g.Data), w.Name, w.Shape, len(w.Data))
		}
		for j := range w.Data {
			if math.Float32bits(g.Data[j]) != math.Float32bits(w.Data[j]) {
				t.Fatalf("tensor %q[%d] = %v, want %v (bit-exact)", w.Name, j, g.Data[j], w.Data[j])
			}
		}
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	want := sampleTensors()
	data := encode(t, want, map[string]string{"format": "vigil", "note": "a \"quoted\" <value>"})
	hlen := binary.LittleEndian.Uint64(data)
	if (8+hlen)%8 != 0 {
		t.Errorf("header length %d is not padded to 8 bytes", hlen)
	}
	got, meta, err := ReadSafetensors(data)
	if err != nil {
		t.Fatal(err)
	}
	sameTensors(t, got, want)
	if meta["note"] != `a "quoted" <value>` || meta["format"] != "vigil" {
		t.Errorf("metadata = %v", meta)
	}
}

func TestSafetensorsLayoutIsSortedAndContiguous(t *testing.T) {
	data := encode(t, sampleTensors(), nil)
	hlen := binary.LittleEndian.Uint64(data)
	var hdr map[string]tensorInfo
	if err := json.Unmarshal(data[8:8+hlen], &hdr); err != nil {
		t.Fatal(err)
	}
	if _, ok := hdr[metadataKey]; ok {
		t.Error("nil metadata written as a header entry")
	}
	// Sorted by name: b, empty, enc/w, scalar.
	wantOff := map[string][2]uint64{"b": {0, 12}, "empty": {12, 12}, "enc/w": {12, 36}, "scalar": {36, 40}}
	for name, off := range wantOff {
		got := *hdr[name].DataOffsets
		if got[0] != off[0] || got[1] != off[1] {
			t.Errorf("%s offsets %v, want %v", name, got, off)
		}
	}
	if uint64(len(data)) != 8+hlen+40 {
		t.Errorf("file is %d bytes, want %d", len(data), 8+hlen+40)
	}
}

func TestWriteSafetensorsRejectsBadTensors(t *testing.T) {
	cases := map[string][]Tensor{
		"shape mismatch": {{Name: "a", Shape: []int{2}, Data: []float32{1}}},
		"duplicate":      {{Name: "a", Shape: []int{1}, Data: []float32{1}}, {Name: "a", Shape: []int{1}, Data: []float32{2}}},
		"empty name":     {{Name: "", Shape: []int{1}, Data: []float32{1}}},
		"reserved":       {{Name: metadataKey, Shape: []int{1}, Data: []float32{1}}},
		"negative dim":   {{Name: "a", Shape: []int{-1}, Data: nil}},
	}
	for name, ts := range cases {
		if err := WriteSafetensors(&bytes.Buffer{}, ts, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// rawFile builds a safetensors file from a literal header and data.
func rawFile(header string, data []byte) []byte {
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(out, header...), data...)
}

func TestReadSafetensorsRejectsMalformed(t *testing.T) {
	four := make([]byte, 4)
	eight := make([]byte, 8)
	cases := []struct {
		name, header string
		data         []byte
		want         string
	}{
		{"dtype", `{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}`, four, `dtype "F16" is not supported (only F32)`},
		{"shape vs bytes", `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, four, "needs 8 bytes"},
		{"out of range", `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, four, "outside"},
		{"overlap", `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, eight, "overlaps"},
		{"gap", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, eight, "gap"},
		{"trailing data", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, eight, "cover 4 bytes"},
		{"reversed", `{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}`, four, "outside"},
		{"offsets arity", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}`, four, "data_offsets"},
		{"missing shape", `{"a":{"dtype":"F32","data_offsets":[0,4]}}`, four, "missing shape"},
		{"negative dim", `{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, four, "invalid dimension"},
		{"huge dims", `{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}`, four, "elements"},
		{"duplicate", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, four, "duplicate"},
		{"unknown field", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, four, "unknown field"},
		{"bad metadata", `{"__metadata__":{"k":1}}`, nil, "__metadata__"},
		{"not object", `[1]`, nil, "not a JSON object"},
		{"trailing json", `{} {}`, nil, "after the JSON object"},
		{"bad json", `{"a":`, nil, "header"},
	}
	for _, c := range cases {
		_, _, err := ReadSafetensors(rawFile(c.header, c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	huge := binary.LittleEndian.AppendUint64(nil, math.MaxUint64)
	if _, _, err := ReadSafetensors(append(huge, "{}"...)); err == nil {
		t.Error("header length beyond the file accepted")
	}
}

func TestReadSafetensorsEveryTruncationFails(t *testing.T) {
	data := encode(t, sampleTensors(), map[string]string{"format": "vigil"})
	for n := 0; n < len(data); n++ {
		if _, _, err := ReadSafetensors(data[:n]); err == nil {
			t.Fatalf("truncation to %d of %d bytes was accepted", n, len(data))
		}
	}
}

func FuzzReadSafetensors(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, sampleTensors(), map[string]string{"k": "v"}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 4)))
	f.Add(rawFile(`{}`, nil))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, meta, err := ReadSafetensors(data)
		if err != nil {
			return
		}
		// Anything accepted must be consistent and survive a rewrite.
		total := 0
		for _, tn := range ts {
			if err := tn.check(); err != nil {
				t.Fatalf("accepted inconsistent tensor: %v", err)
			}
			total += 4 * len(tn.Data)
		}
		hlen := binary.LittleEndian.Uint64(data)
		if uint64(total) != uint64(len(data))-8-hlen {
			t.Fatalf("tensors hold %d bytes, data section %d", total, uint64(len(data))-8-hlen)
		}
		var out bytes.Buffer
		if err := WriteSafetensors(&out, ts, meta); err != nil {
			t.Fatalf("rewrite: %v", err)
		}
		again, _, err := ReadSafetensors(out.Bytes())
		if err != nil {
			t.Fatalf("reread: %v", err)
		}
		if len(again) != len(ts) {
			t.Fatalf("reread %d tensors, want %d", len(again), len(ts))
		}
	})
}
