package tensorboard

import (
	"fmt"
	"os"
)

// ReadFile reads an event file whole and decodes its records, verifying the
// length and data CRC of each. On the first bad record it returns the events
// before it with an error naming the record's byte offset, which wraps
// ErrTruncated when the file ends inside the record (a writer killed
// mid-write, or one that has not flushed) and ErrCorrupt when a CRC fails or
// the data is not an Event. An empty file holds no events and no error.
func ReadFile(path string) ([]Event, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	events, err := decodeRecords(b)
	if err != nil {
		return events, fmt.Errorf("tensorboard: read %s: %w", path, err)
	}
	return events, nil
}

// decodeRecords decodes the events framed in b, stopping at the first error.
func decodeRecords(b []byte) ([]Event, error) {
	var events []Event
	for off := 0; off < len(b); {
		data, size, err := splitRecord(b[off:], int64(off))
		if err != nil {
			return events, err
		}
		e, err := decodeEvent(data)
		if err != nil {
			return events, fmt.Errorf("record at byte offset %d: %w: %w", off, ErrCorrupt, err)
		}
		events = append(events, e)
		off += size
	}
	return events, nil
}
