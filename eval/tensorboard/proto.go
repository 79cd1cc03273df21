package tensorboard

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Event is a decoded tensorflow.Event holding the fields this package knows.
type Event struct {
	WallTime    float64 // seconds since the Unix epoch
	Step        int64
	FileVersion string  // "brain.Event:2" in a file's first event, else empty
	Values      []Value // the summary's values; nil when the event has none
}

// Value is one tensorflow.Summary.Value. The writer sets exactly one of
// HasSimple and Image; values of other kinds (histograms, tensors) decode
// with neither set.
type Value struct {
	Tag       string
	Simple    float32 // simple_value, meaningful when HasSimple
	HasSimple bool
	Image     *Image
}

// Image is a tensorflow.Summary.Image: an encoded PNG and its size in pixels.
// Colorspace is 1 for gray, 3 for RGB and 4 for RGBA.
type Image struct {
	Height, Width, Colorspace int32
	PNG                       []byte
}

// Protobuf wire types.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// Field numbers of tensorflow/core/util/event.proto and
// tensorflow/core/framework/summary.proto.
const (
	eventWallTime    = 1 // double
	eventStep        = 2 // int64
	eventFileVersion = 3 // string
	eventSummary     = 5 // Summary

	summaryValue = 1 // repeated Summary.Value

	valueTag    = 1 // string
	valueSimple = 2 // float, in oneof value
	valueImage  = 4 // Summary.Image, in oneof value

	imageHeight     = 1 // int32
	imageWidth      = 2 // int32
	imageColorspace = 3 // int32
	imageEncoded    = 4 // bytes
)

func appendKey(b []byte, field, wire int) []byte {
	return binary.AppendUvarint(b, uint64(field)<<3|uint64(wire))
}

func appendVarintField(b []byte, field int, v uint64) []byte {
	return binary.AppendUvarint(appendKey(b, field, wireVarint), v)
}

func appendBytesField(b []byte, field int, v []byte) []byte {
	b = binary.AppendUvarint(appendKey(b, field, wireBytes), uint64(len(v)))
	return append(b, v...)
}

// appendEvent appends the wire encoding of e to b. Like proto3, it omits
// zero scalars and empty strings, but always writes a set simple_value,
// which is a oneof member.
func appendEvent(b []byte, e *Event) []byte {
	if e.WallTime != 0 {
		b = binary.LittleEndian.AppendUint64(appendKey(b, eventWallTime, wireFixed64), math.Float64bits(e.WallTime))
	}
	if e.Step != 0 {
		b = appendVarintField(b, eventStep, uint64(e.Step))
	}
	if e.FileVersion != "" {
		b = appendBytesField(b, eventFileVersion, []byte(e.FileVersion))
	}
	if len(e.Values) > 0 {
		var summary []byte
		for i := range e.Values {
			summary = appendBytesField(summary, summaryValue, appendValue(nil, &e.Values[i]))
		}
		b = appendBytesField(b, eventSummary, summary)
	}
	return b
}

func appendValue(b []byte, v *Value) []byte {
	if v.Tag != "" {
		b = appendBytesField(b, valueTag, []byte(v.Tag))
	}
	if v.HasSimple {
		b = binary.LittleEndian.AppendUint32(appendKey(b, valueSimple, wireFixed32), math.Float32bits(v.Simple))
	}
	if v.Image != nil {
		b = appendBytesField(b, valueImage, appendImage(nil, v.Image))
	}
	return b
}

func appendImage(b []byte, im *Image) []byte {
	// int32 fields are varints of the sign-extended value.
	for _, f := range []struct {
		field int
		v     int32
	}{{imageHeight, im.Height}, {imageWidth, im.Width}, {imageColorspace, im.Colorspace}} {
		if f.v != 0 {
			b = appendVarintField(b, f.field, uint64(int64(f.v)))
		}
	}
	if len(im.PNG) > 0 {
		b = appendBytesField(b, imageEncoded, im.PNG)
	}
	return b
}

// field is one decoded protobuf field: num and wire, then the integer value
// of a varint or fixed field in u, or the contents of a length-delimited one
// in data (aliasing the input).
type field struct {
	num, wire int
	u         uint64
	data      []byte
}

// fieldReader reads the fields of one message.
type fieldReader struct{ b []byte }

var errShort = errors.New("message ends inside a field")

// next decodes the next field; ok is false at the end of the message.
func (r *fieldReader) next() (f field, ok bool, err error) {
	if len(r.b) == 0 {
		return field{}, false, nil
	}
	key, n := binary.Uvarint(r.b)
	if n <= 0 {
		return field{}, false, fmt.Errorf("bad field key: %w", errShort)
	}
	r.b = r.b[n:]
	f.num, f.wire = int(key>>3), int(key&7)
	if f.num == 0 || key>>3 > math.MaxInt32 {
		return field{}, false, fmt.Errorf("invalid field number %d", key>>3)
	}
	switch f.wire {
	case wireVarint:
		f.u, n = binary.Uvarint(r.b)
		if n <= 0 {
			return field{}, false, fmt.Errorf("field %d: bad varint: %w", f.num, errShort)
		}
	case wireFixed64:
		if n = 8; len(r.b) < n {
			return field{}, false, fmt.Errorf("field %d: %w", f.num, errShort)
		}
		f.u = binary.LittleEndian.Uint64(r.b)
	case wireFixed32:
		if n = 4; len(r.b) < n {
			return field{}, false, fmt.Errorf("field %d: %w", f.num, errShort)
		}
		f.u = uint64(binary.LittleEndian.Uint32(r.b))
	case wireBytes:
		length, m := binary.Uvarint(r.b)
		if m <= 0 || length > uint64(len(r.b)-m) {
			return field{}, false, fmt.Errorf("field %d: bad length: %w", f.num, errShort)
		}
		f.data = r.b[m : m+int(length)]
		n = m + int(length)
	default:
		return field{}, false, fmt.Errorf("field %d: unsupported wire type %d", f.num, f.wire)
	}
	r.b = r.b[n:]
	return f, true, nil
}

// want reports an error when f does not have the wire type its field number
// is declared with.
func (f field) want(wire int) error {
	if f.wire != wire {
		return fmt.Errorf("field %d: wire type %d, want %d", f.num, f.wire, wire)
	}
	return nil
}

// decodeEvent decodes a serialized tensorflow.Event, skipping unknown fields.
// A repeated summary field merges, as in protobuf.
func decodeEvent(b []byte) (Event, error) {
	var e Event
	r := fieldReader{b}
	for {
		f, ok, err := r.next()
		if err != nil || !ok {
			return e, wrapIf("event", err)
		}
		switch f.num {
		case eventWallTime:
			err = f.want(wireFixed64)
			e.WallTime = math.Float64frombits(f.u)
		case eventStep:
			err = f.want(wireVarint)
			e.Step = int64(f.u)
		case eventFileVersion:
			err = f.want(wireBytes)
			e.FileVersion = string(f.data)
		case eventSummary:
			if err = f.want(wireBytes); err == nil {
				e.Values, err = decodeSummary(e.Values, f.data)
			}
		}
		if err != nil {
			return e, wrapIf("event", err)
		}
	}
}

func decodeSummary(values []Value, b []byte) ([]Value, error) {
	r := fieldReader{b}
	for {
		f, ok, err := r.next()
		if err != nil || !ok {
			return values, wrapIf("summary", err)
		}
		if f.num != summaryValue {
			continue
		}
		if err := f.want(wireBytes); err != nil {
			return values, wrapIf("summary", err)
		}
		v, err := decodeValue(f.data)
		if err != nil {
			return values, wrapIf("summary", err)
		}
		values = append(values, v)
	}
}

func decodeValue(b []byte) (Value, error) {
	var v Value
	r := fieldReader{b}
	for {
		f, ok, err := r.next()
		if err != nil || !ok {
			return v, wrapIf("value", err)
		}
		switch f.num {
		case valueTag:
			err = f.want(wireBytes)
			v.Tag = string(f.data)
		case valueSimple:
			err = f.want(wireFixed32)
			v.Simple, v.HasSimple = math.Float32frombits(uint32(f.u)), true
		case valueImage:
			if err = f.want(wireBytes); err == nil {
				v.Image, err = decodeImage(f.data)
			}
		}
		if err != nil {
			return v, wrapIf("value", err)
		}
	}
}

func decodeImage(b []byte) (*Image, error) {
	im := new(Image)
	r := fieldReader{b}
	for {
		f, ok, err := r.next()
		if err != nil || !ok {
			return im, wrapIf("image", err)
		}
		switch f.num {
		case imageHeight:
			err = f.want(wireVarint)
			im.Height = int32(f.u)
		case imageWidth:
			err = f.want(wireVarint)
			im.Width = int32(f.u)
		case imageColorspace:
			err = f.want(wireVarint)
			im.Colorspace = int32(f.u)
		case imageEncoded:
			err = f.want(wireBytes)
			im.PNG = bytes.Clone(f.data)
		}
		if err != nil {
			return im, wrapIf("image", err)
		}
	}
}

// wrapIf prefixes a non-nil err with the message name; it returns nil for nil.
func wrapIf(message string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", message, err)
}
