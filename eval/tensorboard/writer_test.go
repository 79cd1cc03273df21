package tensorboard

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sync"
	"testing"
	"time"
)

var start = time.Unix(1700000000, 250_000_000)

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gradient is a 5x3 translucent NRGBA image, which png.Encode writes as RGBA.
func gradient() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 5, 3))
	for y := range 3 {
		for x := range 5 {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(50 * x), G: uint8(80 * y), B: 200, A: uint8(100 + 30*x)})
		}
	}
	return img
}

// TestWriterMatchesTensorboardLogger compares a whole file with the bytes
// that tensorboard_logger's test_serialization expects (written with
// TensorFlow's generated protobuf classes): wall time 256.5, "v/1" = 1.5 at
// step 1 and "v/22" = 16 at step 2.
func TestWriterMatchesTensorboardLogger(t *testing.T) {
	const want = "1800000000000000a37f4b22" + "0900000000000870401a0d" + "627261696e2e4576656e743a32" + "bc98212b" +
		"19000000000000008bf10828" + "090000000000087040" + "1001" + "2a0c0a0a0a03762f3115" + "0000c03f" + "2cecc087" +
		"1a00000000000000129bd82d" + "090000000000087040" + "1002" + "2a0d0a0b0a04762f323215" + "00008041" + "8fa3b688"
	wall := time.Unix(256, 500_000_000)
	w, err := Create(t.TempDir(), wall, "host")
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(w.Scalar("v/1", 1, 1.5, wall), w.Scalar("v/22", 2, 16, wall), w.Close()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, mustHex(t, want)) {
		t.Errorf("file =\n%x\nwant\n%s", got, want)
	}
}

func TestCreateNameAndVersionRecord(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs", "a")
	w, err := Create(dir, start, "box.42")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if want := filepath.Join(dir, "events.out.tfevents.1700000000.box.42"); w.Path() != want {
		t.Errorf("Path = %q, want %q", w.Path(), want)
	}
	if !regexp.MustCompile(`^events\.out\.tfevents\.\d{10}\.box\.42$`).MatchString(filepath.Base(w.Path())) {
		t.Errorf("name %q does not match TensorFlow's pattern", filepath.Base(w.Path()))
	}
	// Create flushes the version record: it is readable before any Flush.
	events, err := ReadFile(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{{WallTime: 1700000000.25, FileVersion: "brain.Event:2"}}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("events = %+v, want %+v", events, want)
	}
	if _, err := Create(dir, start, "box.42"); !errors.Is(err, os.ErrExist) {
		t.Errorf("second Create of the same file: err = %v, want os.ErrExist", err)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	w, err := Create(t.TempDir(), start, "host")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	want := []Event{{WallTime: 1700000000.25, FileVersion: FileVersion}}
	tags := []string{"train/loss", "train/accuracy", "val/loss"}
	for step := int64(0); step < 4; step++ {
		for i, tag := range tags {
			wall := start.Add(time.Duration(step)*time.Second + time.Duration(i)*time.Millisecond)
			value := float64(i+1) / float64(step+1)
			if err := w.Scalar(tag, step, value, wall); err != nil {
				t.Fatal(err)
			}
			want = append(want, Event{WallTime: 1700000000.25 + float64(step) + float64(i)/1000, Step: step,
				Values: []Value{{Tag: tag, Simple: float32(value), HasSimple: true}}})
		}
	}
	pic := encodePNG(t, gradient())
	if err := w.Image("samples/recon", 3, pic, start.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	want = append(want, Event{WallTime: 1700000010.25, Step: 3,
		Values: []Value{{Tag: "samples/recon", Image: &Image{Height: 3, Width: 5, Colorspace: 4, PNG: pic}}}})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}

	got, err := ReadFile(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d events, want %d", len(got), len(want))
	}
	for i := range want {
		// Wall times go through float64 seconds; allow for the rounding of the sum.
		if math.Abs(got[i].WallTime-want[i].WallTime) > 1e-6 {
			t.Errorf("event %d: WallTime = %.9f, want %.9f", i, got[i].WallTime, want[i].WallTime)
		}
		got[i].WallTime = want[i].WallTime
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("event %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	img, err := png.Decode(bytes.NewReader(got[len(got)-1].Values[0].Image.PNG))
	if err != nil || img.Bounds() != image.Rect(0, 0, 5, 3) {
		t.Errorf("image read back: bounds %v, err %v", img.Bounds(), err)
	}
}

func TestImageColorspace(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 2, 2))
	rgb := image.NewRGBA(image.Rect(0, 0, 2, 2))
	for i := range rgb.Pix {
		rgb.Pix[i] = 0xFF
	}
	opaquePalette := image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black, color.White})
	clearPalette := image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Transparent, color.White})
	cases := []struct {
		name string
		img  image.Image
		want int32
	}{
		{"gray", gray, 1},
		{"gray16", image.NewGray16(image.Rect(0, 0, 2, 2)), 1},
		{"opaque RGBA is written as RGB", rgb, 3},
		{"translucent NRGBA", gradient(), 4},
		{"opaque palette", opaquePalette, 3},
		{"palette with transparency", clearPalette, 4},
	}
	for _, c := range cases {
		cfg, err := png.DecodeConfig(bytes.NewReader(encodePNG(t, c.img)))
		if err != nil {
			t.Fatal(err)
		}
		if got := colorspace(cfg.ColorModel); got != c.want {
			t.Errorf("%s: colorspace = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestNaNAndInfAreWritten(t *testing.T) {
	w, err := Create(t.TempDir(), start, "host")
	if err != nil {
		t.Fatal(err)
	}
	values := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300}
	for i, v := range values {
		if err := w.Scalar("x", int64(i), v, start); err != nil {
			t.Fatalf("Scalar(%v): %v", v, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	events, err := ReadFile(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1+len(values) {
		t.Fatalf("read %d events, want %d", len(events), 1+len(values))
	}
	got := events[1:]
	if v := got[0].Values[0].Simple; !math.IsNaN(float64(v)) {
		t.Errorf("NaN read back as %v", v)
	}
	for i, want := range []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Inf(1))} {
		if v := got[i+1].Values[0].Simple; v != want {
			t.Errorf("%v read back as %v, want %v", values[i+1], v, want)
		}
	}
}

func TestWriterRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	for name, err := range map[string]error{
		"empty dir":      errOf(Create("", start, "h")),
		"empty host":     errOf(Create(dir, start, "")),
		"host with path": errOf(Create(dir, start, "a/b")),
		"zero now":       errOf(Create(dir, time.Time{}, "h")),
	} {
		if err == nil {
			t.Errorf("Create with %s: no error", name)
		}
	}
	w, err := Create(dir, start, "h")
	if err != nil {
		t.Fatal(err)
	}
	pic := encodePNG(t, gradient())
	for name, err := range map[string]error{
		"empty tag":           w.Scalar("", 0, 1, start),
		"invalid UTF-8 tag":   w.Scalar("a\xffb", 0, 1, start),
		"zero wall time":      w.Scalar("a", 0, 1, time.Time{}),
		"image with no tag":   w.Image("", 0, pic, start),
		"image that is a GIF": w.Image("a", 0, []byte("GIF89a...."), start),
		"truncated PNG":       w.Image("a", 0, pic[:20], start),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	for name, err := range map[string]error{
		"Scalar": w.Scalar("a", 0, 1, start),
		"Image":  w.Image("a", 0, pic, start),
		"Flush":  w.Flush(),
	} {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: err = %v, want ErrClosed", name, err)
		}
	}
	// Rejected calls wrote nothing.
	events, err := ReadFile(w.Path())
	if err != nil || len(events) != 1 {
		t.Errorf("after rejected writes: %d events, err %v; want the version event only", len(events), err)
	}
}

func errOf(_ *Writer, err error) error { return err }

func TestConcurrentWriters(t *testing.T) {
	w, err := Create(t.TempDir(), start, "host")
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, perGoroutine = 8, 300
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tag := fmt.Sprintf("worker/%d", g)
			for step := range int64(perGoroutine) {
				if err := w.Scalar(tag, step, float64(g*1000)+float64(step), start); err != nil {
					errs <- err
					return
				}
				if step%97 == 0 {
					if err := w.Flush(); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	events, err := ReadFile(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1+goroutines*perGoroutine {
		t.Fatalf("read %d events, want %d", len(events), 1+goroutines*perGoroutine)
	}
	nextStep := make(map[string]int64)
	for _, e := range events[1:] {
		v := e.Values[0]
		var g int
		if _, err := fmt.Sscanf(v.Tag, "worker/%d", &g); err != nil {
			t.Fatalf("tag %q: %v", v.Tag, err)
		}
		// Each goroutine's records appear in its own order, none lost or repeated.
		if e.Step != nextStep[v.Tag] || v.Simple != float32(g*1000)+float32(e.Step) {
			t.Fatalf("%s: step %d value %v, want step %d", v.Tag, e.Step, v.Simple, nextStep[v.Tag])
		}
		nextStep[v.Tag]++
	}
	if len(nextStep) != goroutines {
		t.Errorf("%d tags read back, want %d", len(nextStep), goroutines)
	}
}
