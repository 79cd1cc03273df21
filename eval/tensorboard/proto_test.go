package tensorboard

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

// goldenEvent is Event{wall_time: 1.5, step: 7, summary: {value: [{tag:
// "loss", simple_value: 0.25}]}}, encoded by hand. A key is field<<3|wire.
var goldenEvent = []byte{
	// wall_time: field 1, wire 1 (fixed64) -> key 0x09; 1.5 = 0x3FF8000000000000, little endian.
	0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F,
	// step: field 2, wire 0 (varint) -> key 0x10; 7.
	0x10, 0x07,
	// summary: field 5, wire 2 (length-delimited) -> key 0x2A; 13 bytes follow.
	0x2A, 0x0D,
	// Summary.value: field 1, wire 2 -> key 0x0A; 11 bytes follow.
	0x0A, 0x0B,
	// Value.tag: field 1, wire 2 -> key 0x0A; 4 bytes "loss".
	0x0A, 0x04, 'l', 'o', 's', 's',
	// Value.simple_value: field 2, wire 5 (fixed32) -> key 0x15; 0.25 = 0x3E800000, little endian.
	0x15, 0x00, 0x00, 0x80, 0x3E,
}

func goldenEventValue() Event {
	return Event{WallTime: 1.5, Step: 7, Values: []Value{{Tag: "loss", Simple: 0.25, HasSimple: true}}}
}

func TestAppendEventGolden(t *testing.T) {
	e := goldenEventValue()
	if got := appendEvent(nil, &e); !bytes.Equal(got, goldenEvent) {
		t.Errorf("appendEvent =\n% x\nwant\n% x", got, goldenEvent)
	}
}

func TestDecodeEventGolden(t *testing.T) {
	got, err := decodeEvent(goldenEvent)
	if err != nil {
		t.Fatal(err)
	}
	if want := goldenEventValue(); !reflect.DeepEqual(got, want) {
		t.Errorf("decodeEvent = %+v, want %+v", got, want)
	}
}

func TestEventRoundTrip(t *testing.T) {
	cases := []Event{
		{WallTime: 1.7e9, FileVersion: FileVersion},
		{WallTime: -0.5, Step: -3, Values: []Value{{Tag: "neg", Simple: -1, HasSimple: true}}},
		{Step: math.MaxInt64, Values: []Value{{Tag: "zero is written", Simple: 0, HasSimple: true}}},
		{Step: math.MinInt64, Values: []Value{{Tag: "inf", Simple: float32(math.Inf(-1)), HasSimple: true}}},
		{WallTime: 2, Step: 1, Values: []Value{
			{Tag: "a", Simple: 1, HasSimple: true},
			{Tag: "img", Image: &Image{Height: 2, Width: 300, Colorspace: 4, PNG: []byte{1, 2, 3}}},
			{Tag: "negative size", Image: &Image{Height: -1, Width: math.MaxInt32}},
			{Tag: "b/c", Simple: 3.5, HasSimple: true},
		}},
	}
	for i, want := range cases {
		got, err := decodeEvent(appendEvent(nil, &want))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("case %d: round trip = %+v, want %+v", i, got, want)
		}
	}
}

func TestDecodeEventSkipsUnknownFields(t *testing.T) {
	// graph_def (field 4, bytes), a varint field 99, a fixed32 and a fixed64
	// field 100 and 101, then the golden event; summary merges across two fields.
	b := []byte{0x22, 0x02, 0xAA, 0xBB, 0x98, 0x06, 0x05, 0xA5, 0x06, 1, 2, 3, 4, 0xA9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8}
	b = append(b, goldenEvent...)
	b = append(b, 0x2A, 0x05, 0x0A, 0x03, 0x0A, 0x01, 'x')
	got, err := decodeEvent(b)
	if err != nil {
		t.Fatal(err)
	}
	want := goldenEventValue()
	want.Values = append(want.Values, Value{Tag: "x"})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decodeEvent = %+v, want %+v", got, want)
	}
}

func TestDecodeEventMalformed(t *testing.T) {
	cases := []struct {
		name string
		b    []byte
		text string
	}{
		{"short fixed64", []byte{0x09, 0x00, 0x00}, "field 1"},
		{"missing varint", []byte{0x10}, "bad varint"},
		{"unterminated varint", []byte{0x10, 0x80}, "bad varint"},
		{"length past end", []byte{0x1A, 0x05, 'a'}, "bad length"},
		{"group wire type", []byte{0x0B}, "unsupported wire type 3"},
		{"field zero", []byte{0x00, 0x01}, "invalid field number 0"},
		{"wall_time as varint", []byte{0x08, 0x01}, "field 1: wire type 0, want 1"},
		{"simple_value as varint", []byte{0x2A, 0x04, 0x0A, 0x02, 0x10, 0x01}, "summary: value: field 2: wire type 0, want 5"},
		{"short image", []byte{0x2A, 0x05, 0x0A, 0x03, 0x22, 0x01, 0x08}, "image: field 1: bad varint"},
	}
	for _, c := range cases {
		_, err := decodeEvent(c.b)
		if err == nil || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.text)
		}
	}
}
