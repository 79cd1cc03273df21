package syscalls

import (
	"archive/zip"
	"io"
	"iter"
	"os"
)

// Filter selects the events read from a LID-DS recording.
type Filter struct {
	Dir        Direction // keep only events of this direction (and any without one); DirNone keeps all
	DropSwitch bool      // drop "switch" (context switch) pseudo-events, as the LID-DS 2019 loader does
}

// keep reports whether f selects c.
func (f Filter) keep(c *Call) bool {
	if f.Dir != DirNone && c.Dir != f.Dir && c.Dir != DirNone {
		return false
	}
	return !f.DropSwitch || c.Name != "switch"
}

// Recording is one LID-DS recording whose events are read on demand.
type Recording struct {
	ID           string  // path relative to the dataset root without extension, e.g. "test/normal_and_attack/foo"
	Name         string  // recording name, e.g. "aggressive_nightingale_1018"
	Label        Label   // Attack when an exploit was run
	Family       string  // scenario (dataset folder name) for attack recordings, "" for normal ones
	Split        Split   // from the folder (2021) or the position in runs.csv (2019)
	Image        string  // container image of the victim
	ExploitStart int64   // 2021: Unix time in ns of the first exploit, 0 when none
	ExploitAfter float64 // 2019: seconds from the first event to the exploit start, 0 when none

	file  string // file holding the events, or the zip holding them
	entry string // name of the events file inside the zip, "" when loose
	shown string // file name used in errors
	year  int    // 2019 or 2021
}

// Calls streams the events of r that f selects, reading one line at a
// time. A malformed line yields an error naming the file and line, after
// which the sequence stops.
func (r Recording) Calls(f Filter) iter.Seq2[Call, error] {
	return func(yield func(Call, error) bool) {
		rc, err := r.open()
		if err != nil {
			yield(Call{}, err)
			return
		}
		defer rc.Close()
		lr := newLineReader(rc, r.shown)
		p := newLineParser(r.shown)
		parse := p.parse2021
		if r.year == 2019 {
			parse = p.parse2019
		}
		for {
			line, err := lr.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Call{}, err)
				return
			}
			c, err := parse(line, lr.line)
			if err != nil {
				yield(Call{}, err)
				return
			}
			if f.keep(&c) && !yield(c, nil) {
				return
			}
		}
	}
}

// Trace reads the events of r that f selects into a Trace. For LID-DS
// 2019 ExploitStart is the first event's time plus ExploitAfter, taken
// before filtering.
func (r Recording) Trace(f Filter) (Trace, error) {
	t := Trace{ID: r.ID, Label: r.Label, Family: r.Family, Split: r.Split, ExploitStart: r.ExploitStart, Calls: []Call{}}
	first := true
	for c, err := range r.Calls(Filter{}) {
		if err != nil {
			return Trace{}, err
		}
		if first && r.year == 2019 && r.Label == Attack {
			t.ExploitStart = c.Time + int64(r.ExploitAfter*1e9)
		}
		first = false
		if f.keep(&c) {
			t.Calls = append(t.Calls, c)
		}
	}
	return t, nil
}

// open returns a reader of the events file.
func (r Recording) open() (io.ReadCloser, error) {
	if r.entry == "" {
		fh, err := os.Open(r.file)
		if err != nil {
			return nil, parseErr(r.shown, 0, "%v", err)
		}
		return fh, nil
	}
	zr, err := zip.OpenReader(r.file)
	if err != nil {
		return nil, parseErr(r.shown, 0, "%v", err)
	}
	zf := findZipEntry(&zr.Reader, r.entry)
	if zf == nil {
		zr.Close()
		return nil, parseErr(r.shown, 0, "missing from the zip")
	}
	rc, err := zf.Open()
	if err != nil {
		zr.Close()
		return nil, parseErr(r.shown, 0, "%v", err)
	}
	return &zipEntry{rc, zr}, nil
}

// zipEntry closes the zip with its entry.
type zipEntry struct {
	io.ReadCloser
	zr *zip.ReadCloser
}

func (z *zipEntry) Close() error {
	err := z.ReadCloser.Close()
	if e := z.zr.Close(); err == nil {
		err = e
	}
	return err
}

// findZipEntry returns the entry whose base name is name, preferring one
// at the top level.
func findZipEntry(zr *zip.Reader, name string) *zip.File {
	var found *zip.File
	for _, f := range zr.File {
		if f.Name == name {
			return f
		}
		if found == nil && baseName(f.Name) == name {
			found = f
		}
	}
	return found
}

// baseName is the last element of a slash-separated zip path.
func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
