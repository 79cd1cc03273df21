package tensorboard

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// FileVersion is the file_version of the first event of every event file.
const FileVersion = "brain.Event:2"

// ErrClosed is returned by writes and Flush after Close.
var ErrClosed = errors.New("tensorboard: writer is closed")

// Writer appends events to one event file. Writes are buffered; Flush or
// Close makes them readable. A Writer is safe for concurrent use: each record
// is written whole, in the order the calls take the Writer's lock.
type Writer struct {
	path string

	mu     sync.Mutex
	file   *os.File
	buf    *bufio.Writer
	closed bool
}

// Create makes dir (and its parents) if needed and creates the event file
// events.out.tfevents.<unix seconds, 10 digits>.<host> in it, the name
// TensorFlow uses and TensorBoard looks for, then writes and flushes the
// version event stamped with now. It refuses to overwrite an existing file:
// two writers created in one second need distinct hosts, such as
// "myhost.<pid>". host must be non-empty and contain no path separator; now
// must be non-zero.
func Create(dir string, now time.Time, host string) (*Writer, error) {
	switch {
	case dir == "":
		return nil, errors.New("tensorboard: empty directory")
	case host == "" || strings.ContainsRune(host, '/') || strings.ContainsRune(host, filepath.Separator):
		return nil, fmt.Errorf("tensorboard: host %q must be non-empty and contain no path separator", host)
	case now.IsZero():
		return nil, errors.New("tensorboard: zero creation time")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	path := filepath.Join(dir, fmt.Sprintf("events.out.tfevents.%010d.%s", now.Unix(), host))
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	w := &Writer{path: path, file: file, buf: bufio.NewWriter(file)}
	if err := w.write(&Event{WallTime: seconds(now), FileVersion: FileVersion}); err != nil {
		return nil, errors.Join(err, file.Close())
	}
	if err := w.Flush(); err != nil {
		return nil, errors.Join(err, file.Close())
	}
	return w, nil
}

// Path returns the path of the event file.
func (w *Writer) Path() string { return w.path }

// Scalar writes value for tag at step, stamped with wall. TensorBoard's
// scalar plugin reads it as a legacy simple_value, a float32: value is
// rounded to float32, and magnitudes beyond its range become ±Inf. NaN and
// ±Inf are written as they are (TensorBoard shows them). tag must be
// non-empty UTF-8 (slashes group tags into sections); wall must be non-zero.
func (w *Writer) Scalar(tag string, step int64, value float64, wall time.Time) error {
	if err := checkValue(tag, wall); err != nil {
		return err
	}
	return w.write(&Event{WallTime: seconds(wall), Step: step,
		Values: []Value{{Tag: tag, Simple: float32(value), HasSimple: true}}})
}

// Image writes encoded, a PNG image, for tag at step, stamped with wall. It reads the width, height and color model from the PNG header and
// returns an error for data that is not a PNG. tag and wall are checked as
// by Scalar. The bytes are copied into the record before Image returns.
func (w *Writer) Image(tag string, step int64, encoded []byte, wall time.Time) error {
	if err := checkValue(tag, wall); err != nil {
		return err
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(encoded))
	if err != nil {
		return fmt.Errorf("tensorboard: image %q: %w", tag, err)
	}
	im := &Image{Height: int32(cfg.Height), Width: int32(cfg.Width),
		Colorspace: colorspace(cfg.ColorModel), PNG: encoded}
	return w.write(&Event{WallTime: seconds(wall), Step: step, Values: []Value{{Tag: tag, Image: im}}})
}

// Flush writes the buffered records to the file, so that readers see every
// event written so far. It does not sync the file to stable storage.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	if err := w.buf.Flush(); err != nil {
		return fmt.Errorf("tensorboard: flush %s: %w", w.path, err)
	}
	return nil
}

// Close flushes and closes the file. Closing a closed Writer returns nil.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	flushErr := w.buf.Flush()
	if err := errors.Join(flushErr, w.file.Close()); err != nil {
		return fmt.Errorf("tensorboard: close %s: %w", w.path, err)
	}
	return nil
}

// write encodes e, frames it and appends it to the buffer.
func (w *Writer) write(e *Event) error {
	record := appendRecord(nil, appendEvent(nil, e))
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	if _, err := w.buf.Write(record); err != nil {
		return fmt.Errorf("tensorboard: write %s: %w", w.path, err)
	}
	return nil
}

// checkValue validates a summary value's tag and wall time. Protobuf strings
// must be valid UTF-8: TensorBoard's decoder rejects a record otherwise.
func checkValue(tag string, wall time.Time) error {
	switch {
	case tag == "":
		return errors.New("tensorboard: empty tag")
	case !utf8.ValidString(tag):
		return fmt.Errorf("tensorboard: tag %q is not valid UTF-8", tag)
	case wall.IsZero():
		return fmt.Errorf("tensorboard: tag %q: zero wall time", tag)
	}
	return nil
}

// seconds converts t to seconds since the Unix epoch, without the overflow of
// UnixNano outside the years 1678 to 2262.
func seconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

// colorspace maps a PNG's color model to Summary.Image.colorspace: 1 for
// gray, 3 for RGB and 4 for RGBA. Go decodes gray with alpha as NRGBA, which
// maps to 4; a palette maps to 4 when any entry is translucent.
func colorspace(m color.Model) int32 {
	if p, ok := m.(color.Palette); ok {
		for _, c := range p {
			if _, _, _, a := c.RGBA(); a != 0xffff {
				return 4
			}
		}
		return 3
	}
	switch m {
	case color.GrayModel, color.Gray16Model:
		return 1
	case color.RGBAModel, color.RGBA64Model:
		return 3
	}
	return 4
}
