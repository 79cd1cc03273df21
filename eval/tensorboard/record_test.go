package tensorboard

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestCRC32CKnownVectors(t *testing.T) {
	ascending := make([]byte, 32)
	for i := range ascending {
		ascending[i] = byte(i)
	}
	cases := []struct {
		name string
		data []byte
		want uint32
	}{
		{"123456789", []byte("123456789"), 0xE3069283},
		// RFC 3720 appendix B.4.
		{"32 zeros", make([]byte, 32), 0x8A9136AA},
		{"32 0xFF", bytes.Repeat([]byte{0xFF}, 32), 0x62A8AB43},
		{"0..31 ascending", ascending, 0x46DD794E},
	}
	for _, c := range cases {
		if got := crc32c(c.data); got != c.want {
			t.Errorf("crc32c(%s) = %#08x, want %#08x", c.name, got, c.want)
		}
	}
}

func TestMaskedCRCByHand(t *testing.T) {
	// crc = 0xE3069283 = 1110 0011 0000 0110 1001 0010 1000 0011.
	// crc >> 15 keeps the top 17 bits:        0x0001C60D.
	// crc << 17 keeps the low 15 bits 0x1283: 0x25060000.
	// OR:                                     0x2507C60D.
	// + 0xA282EAD8 = 0xC78AB0E5 (low halves 0xC60D + 0xEAD8 = 0x1B0E5, carry 1;
	// high halves 0x2507 + 0xA282 + 1 = 0xC78A).
	if got := mask(0xE3069283); got != 0xC78AB0E5 {
		t.Errorf("mask(0xE3069283) = %#08x, want 0xC78AB0E5", got)
	}
	if got := maskedCRC([]byte("123456789")); got != 0xC78AB0E5 {
		t.Errorf("maskedCRC(123456789) = %#08x, want 0xC78AB0E5", got)
	}
	// Wrap-around of the addition: 0xFFFFFFFF rotates to itself.
	if got, want := mask(0xFFFFFFFF), uint32(0xA282EAD7); got != want {
		t.Errorf("mask(0xFFFFFFFF) = %#08x, want %#08x", got, want)
	}
}

// tensorFlowRecord is the record of TensorFlow's event_file_loader_test
// (RECORD), framed by TensorFlow's C++ record writer: an Event with wall_time
// 1440183447 and file_version "brain.Event:1".
const tensorFlowRecord = "1800000000000000" + "a37f4b22" + // length 24, its masked CRC
	"09" + "0000c025dd75d541" + // wall_time
	"1a0d" + "627261696e2e4576656e743a31" + // file_version
	"ecf3328d" // masked CRC of the 24 data bytes

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSplitRecordTensorFlowVector(t *testing.T) {
	rec := mustHex(t, tensorFlowRecord)
	data, size, err := splitRecord(rec, 0)
	if err != nil {
		t.Fatal(err)
	}
	if size != len(rec) || !bytes.Equal(data, rec[12:36]) {
		t.Errorf("splitRecord = %d data bytes, size %d; want 24, %d", len(data), size, len(rec))
	}
	if got := appendRecord(nil, data); !bytes.Equal(got, rec) {
		t.Errorf("appendRecord =\n%x\nwant\n%x", got, rec)
	}
}

func TestSplitRecordErrors(t *testing.T) {
	rec := mustHex(t, tensorFlowRecord)
	flip := func(i int) []byte {
		b := bytes.Clone(rec)
		b[i] ^= 0x01
		return b
	}
	cases := []struct {
		name string
		b    []byte
		want error
		text string
	}{
		{"empty header", nil, ErrTruncated, "0 bytes into the 12-byte header"},
		{"partial header", rec[:11], ErrTruncated, "11 bytes into"},
		{"no data", rec[:12], ErrTruncated, "file has 0 bytes left"},
		{"partial data", rec[:20], ErrTruncated, "file has 8 bytes left"},
		{"partial data CRC", rec[:len(rec)-1], ErrTruncated, "file has 27 bytes left"},
		{"length flipped", flip(0), ErrCorrupt, "length CRC"},
		{"length CRC flipped", flip(9), ErrCorrupt, "length CRC"},
		{"data flipped", flip(20), ErrCorrupt, "data CRC"},
		{"data CRC flipped", flip(len(rec) - 2), ErrCorrupt, "data CRC"},
	}
	for _, c := range cases {
		_, _, err := splitRecord(c.b, 1234)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "byte offset 1234") || !strings.Contains(msg, c.text) {
			t.Errorf("%s: err = %q, want the offset and %q", c.name, msg, c.text)
		}
	}
}
