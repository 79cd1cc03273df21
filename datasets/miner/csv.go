package miner

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// csvIDColumns are the leading columns of the feature CSV.
var csvIDColumns = []string{"program", "pid", "name", "window_start", "miner"}

// CSVHeader returns the header of the feature CSV: program, pid, name,
// window_start (ns), miner (0 or 1), then FeatureNames.
func CSVHeader() []string { return append(slices.Clone(csvIDColumns), featureNames[:]...) }

// FeatureCSVWriter writes feature rows as CSV with the CSVHeader header.
// Values are written in the shortest form that reads back exactly.
type FeatureCSVWriter struct {
	w      *csv.Writer
	header bool
	rec    []string
}

// NewFeatureCSVWriter returns a writer on w; the header is written with
// the first row (or by Flush when there is none). Call Flush when done.
func NewFeatureCSVWriter(w io.Writer) *FeatureCSVWriter {
	return &FeatureCSVWriter{w: csv.NewWriter(w), rec: make([]string, len(csvIDColumns)+int(NumFeatures))}
}

func (c *FeatureCSVWriter) writeHeader() error {
	if c.header {
		return nil
	}
	c.header = true
	return c.w.Write(CSVHeader())
}

// Write writes one row.
func (c *FeatureCSVWriter) Write(r FeatureRow) error {
	if err := c.writeHeader(); err != nil {
		return fmt.Errorf("miner: writing CSV header: %w", err)
	}
	rec := c.rec
	rec[0], rec[1], rec[2] = r.Program, strconv.Itoa(r.PID), r.Name
	rec[3], rec[4] = strconv.FormatInt(r.WindowStart, 10), "0"
	if r.Miner {
		rec[4] = "1"
	}
	for i, v := range r.Values {
		rec[len(csvIDColumns)+i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	if err := c.w.Write(rec); err != nil {
		return fmt.Errorf("miner: writing CSV row: %w", err)
	}
	return nil
}

// Flush writes buffered data and reports any write error.
func (c *FeatureCSVWriter) Flush() error {
	if err := c.writeHeader(); err != nil {
		return fmt.Errorf("miner: writing CSV header: %w", err)
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("miner: writing CSV: %w", err)
	}
	return nil
}

// WriteFeatureCSV writes rows to w with a header.
func WriteFeatureCSV(w io.Writer, rows []FeatureRow) error {
	cw := NewFeatureCSVWriter(w)
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// ReadFeatureCSV reads the CSV that FeatureCSVWriter writes, calling fn
// for each row, without loading it whole. The header must be CSVHeader
// exactly. A malformed record ends reading with a *ParseError naming
// source "input" and the 1-based line; an error from fn is returned
// wrapped with the line.
func ReadFeatureCSV(r io.Reader, fn func(FeatureRow) error) error {
	const name = "input"
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked after the header
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return parseErr(name, 0, "empty input, want a header")
	}
	if err != nil {
		return csvErr(name, err)
	}
	if !slices.Equal(header, CSVHeader()) {
		return parseErr(name, 1, "header %q, want %q", header, CSVHeader())
	}
	cr.FieldsPerRecord = len(csvIDColumns) + int(NumFeatures)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		row, err := parseFeatureRecord(rec)
		if err != nil {
			return parseErr(name, line, "%v", err)
		}
		if err := fn(row); err != nil {
			return fmt.Errorf("miner: %s:%d: %w", name, line, err)
		}
	}
}

// csvErr turns a csv.ParseError into a *ParseError.
func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return parseErr(name, pe.Line, "%v", pe.Err)
	}
	return fmt.Errorf("miner: reading %s: %w", name, err)
}

func parseFeatureRecord(rec []string) (FeatureRow, error) {
	var r FeatureRow
	r.Program, r.Name = rec[0], rec[2]
	pid, err := strconv.Atoi(rec[1])
	if err != nil {
		return r, fmt.Errorf("pid %q is not an integer", rec[1])
	}
	r.PID = pid
	if r.WindowStart, err = strconv.ParseInt(rec[3], 10, 64); err != nil {
		return r, fmt.Errorf("window_start %q is not an integer", rec[3])
	}
	switch rec[4] {
	case "0":
	case "1":
		r.Miner = true
	default:
		return r, fmt.Errorf("miner %q, want 0 or 1", rec[4])
	}
	for i := range r.Values {
		s := rec[len(csvIDColumns)+i]
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return r, fmt.Errorf("%s %q is not a number", featureNames[i], s)
		}
		r.Values[i] = v
	}
	return r, nil
}
