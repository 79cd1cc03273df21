package tensorboard

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeScalars writes the version event and n scalars to a new file and
// returns its bytes, the decoded events and the byte offset of each record.
func writeScalars(t *testing.T, n int) (file []byte, events []Event, offsets []int) {
	t.Helper()
	w, err := Create(t.TempDir(), start, "host")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := w.Scalar(fmt.Sprintf("s/%d", i), int64(i), float64(i)/2, start); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if file, err = os.ReadFile(w.Path()); err != nil {
		t.Fatal(err)
	}
	if events, err = ReadFile(w.Path()); err != nil || len(events) != n+1 {
		t.Fatalf("intact file: %d events, err %v", len(events), err)
	}
	for off := 0; off < len(file); {
		offsets = append(offsets, off)
		_, size, err := splitRecord(file[off:], int64(off))
		if err != nil {
			t.Fatal(err)
		}
		off += size
	}
	return file, events, offsets
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "events.out.tfevents.0000000000.bad")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadFileCorruptRecord(t *testing.T) {
	file, events, offsets := writeScalars(t, 4)
	const bad = 2 // the second scalar
	cases := []struct {
		name string
		at   int // byte flipped, relative to the record's start
		text string
	}{
		{"length", 0, "length CRC"},
		{"length CRC", 10, "length CRC"},
		{"data", headerSize + 3, "data CRC"},
		{"data CRC", offsets[bad+1] - offsets[bad] - 1, "data CRC"},
	}
	for _, c := range cases {
		b := append([]byte(nil), file...)
		b[offsets[bad]+c.at] ^= 0x40
		got, err := ReadFile(writeTemp(t, b))
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s flipped: err = %v, want ErrCorrupt", c.name, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("record at byte offset %d:", offsets[bad])) ||
			!strings.Contains(msg, c.text) {
			t.Errorf("%s flipped: err = %q, want offset %d and %q", c.name, msg, offsets[bad], c.text)
		}
		if !reflect.DeepEqual(got, events[:bad]) {
			t.Errorf("%s flipped: events = %+v, want the %d before the bad record", c.name, got, bad)
		}
	}
}

func TestReadFileMalformedEvent(t *testing.T) {
	// Valid framing around data that is not an Event: a wall_time cut short.
	b := appendRecord(nil, goldenEvent)
	b = appendRecord(b, []byte{0x09, 0x00})
	events, err := ReadFile(writeTemp(t, b))
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), fmt.Sprintf("byte offset %d", len(goldenEvent)+16)) {
		t.Errorf("err = %v, want ErrCorrupt at offset %d", err, len(goldenEvent)+16)
	}
	if len(events) != 1 || events[0].Step != 7 {
		t.Errorf("events = %+v, want the golden event", events)
	}
}

func TestReadFileTruncated(t *testing.T) {
	file, events, offsets := writeScalars(t, 3)
	last := offsets[len(offsets)-1]
	for _, keep := range []int{1, headerSize - 1, headerSize, headerSize + 5, len(file) - last - 1} {
		got, err := ReadFile(writeTemp(t, file[:last+keep]))
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("cut %d bytes into the last record: err = %v, want ErrTruncated", keep, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "truncated") ||
			!strings.Contains(msg, fmt.Sprintf("byte offset %d:", last)) {
			t.Errorf("cut %d bytes in: err = %q, want truncation at offset %d", keep, msg, last)
		}
		if !reflect.DeepEqual(got, events[:len(events)-1]) {
			t.Errorf("cut %d bytes in: %d events returned, want the %d before the cut", keep, len(got), len(events)-1)
		}
	}
}

func TestReadFileEmptyAndMissing(t *testing.T) {
	if events, err := ReadFile(writeTemp(t, nil)); err != nil || len(events) != 0 {
		t.Errorf("empty file: %d events, err %v; want none, nil", len(events), err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "absent")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v, want os.ErrNotExist", err)
	}
}

func TestReadFileTensorFlowRecord(t *testing.T) {
	events, err := ReadFile(writeTemp(t, mustHex(t, tensorFlowRecord)))
	if err != nil {
		t.Fatal(err)
	}
	if want := []Event{{WallTime: 1440183447, FileVersion: "brain.Event:1"}}; !reflect.DeepEqual(events, want) {
		t.Errorf("events = %+v, want %+v", events, want)
	}
}
