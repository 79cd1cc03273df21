package cert

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// eventWriters holds the five event files being written.
type eventWriters struct {
	files [numKinds]*os.File
	csv   [numKinds]*csv.Writer
}

func openEventWriters(dir string) (*eventWriters, error) {
	w := &eventWriters{}
	for _, k := range Kinds() {
		f, err := os.Create(filepath.Join(dir, k.FileName()))
		if err != nil {
			w.close()
			return nil, fmt.Errorf("cert: %w", err)
		}
		w.files[k], w.csv[k] = f, csv.NewWriter(f)
		if err := w.csv[k].Write(k.Header()); err != nil {
			w.close()
			return nil, fmt.Errorf("cert: %w", err)
		}
	}
	return w, nil
}

// close flushes and closes the files, returning the first error.
func (w *eventWriters) close() error {
	var errs []error
	for k, f := range w.files {
		if f == nil {
			continue
		}
		w.csv[k].Flush()
		errs = append(errs, w.csv[k].Error(), f.Close())
		w.files[k] = nil
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cert: %w", err)
	}
	return nil
}

// writeDay writes g.buf, the events of day d, in time order (ties in the
// order generated), drawing an id for each row.
func (w *eventWriters) writeDay(g *gen, d int, rep *GenReport) error {
	slices.SortStableFunc(g.buf, func(a, b genEvent) int { return cmp.Compare(a.sec, b.sec) })
	date := g.cfg.Start.AddDate(0, 0, d)
	for i := range g.buf {
		ev := &g.buf[i]
		t := date.Add(time.Duration(ev.sec) * time.Second)
		row := []string{g.id(), FormatDate(t), ev.user, ev.pc}
		switch ev.kind {
		case KindLogon, KindDevice:
			row = append(row, ev.activity)
		case KindFile:
			row = append(row, ev.filename, ev.content)
		case KindEmail:
			row = append(row, ev.to, ev.cc, ev.bcc, ev.from, strconv.Itoa(ev.size), strconv.Itoa(ev.attachments), ev.content)
		case KindHTTP:
			row = append(row, ev.url, ev.content)
		}
		if err := w.csv[ev.kind].Write(row); err != nil {
			return fmt.Errorf("cert: writing %s: %w", ev.kind.FileName(), err)
		}
		rep.Rows[ev.kind]++
		if pl := ev.plan; pl != nil {
			rep.Malicious[ev.kind]++
			if pl.details == nil || t.Before(pl.start) {
				pl.start = t
			}
			if t.After(pl.end) {
				pl.end = t
			}
			pl.details = append(pl.details, append([]string{ev.kind.String()}, row...))
		}
	}
	return nil
}

// id draws a row id in CERT's form, "{XXXX-XXXXXXXX-XXXXXXXX}": 20
// characters from two 64-bit draws (ten base-36 digits each).
func (g *gen) id() string {
	var b [24]byte
	b[0], b[5], b[14], b[23] = '{', '-', '-', '}'
	u := g.rng.Uint64()
	for i, k := 1, 0; i < 23; i++ {
		if i == 5 || i == 14 {
			continue
		}
		if k == 10 {
			u = g.rng.Uint64()
		}
		b[i] = idChars[u%uint64(len(idChars))]
		u /= uint64(len(idChars))
		k++
	}
	return string(b[:])
}

// writeLDAP writes one snapshot per month touched by the period, listing
// those still employed on the month's first day (everyone in the first
// month). It returns the number of files.
func (g *gen) writeLDAP(dir string) (int, error) {
	start := g.cfg.Start
	last := start.AddDate(0, 0, g.cfg.Days-1)
	n := 0
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(last); m = m.AddDate(0, 1, 0) {
		from := max(0, int(m.Sub(start).Hours()/24))
		var rows [][]string
		for _, p := range g.people {
			if p.leave <= from {
				continue
			}
			sup := ""
			if p.sup >= 0 {
				sup = g.people[p.sup].name
			}
			rows = append(rows, []string{p.name, p.id, p.email, p.role, "1", p.unit, p.dept, p.team, sup})
		}
		if err := writeCSV(filepath.Join(dir, m.Format("2006-01")+".csv"), LDAPHeader(), rows); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// writeAnswers writes answers/insiders.csv and the details files.
func (g *gen) writeAnswers(dir string) ([]Insider, error) {
	ins := make([]Insider, 0, len(g.plans))
	for _, pl := range g.plans {
		in := pl.insider()
		ins = append(ins, in)
		sub := filepath.Join(dir, fmt.Sprintf("r4.2-%d", pl.scenario))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return nil, fmt.Errorf("cert: %w", err)
		}
		if err := writeCSV(filepath.Join(sub, in.Details), nil, pl.details); err != nil {
			return nil, err
		}
	}
	return ins, writeInsiders(filepath.Join(dir, "insiders.csv"), ins)
}

// writeCSV writes a small CSV file: the header (when not nil) and rows.
func writeCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cert: %w", err)
	}
	w := csv.NewWriter(f)
	if header != nil {
		rows = append([][]string{header}, rows...)
	}
	err = w.WriteAll(rows)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cert: %s: %w", path, err)
	}
	return nil
}
