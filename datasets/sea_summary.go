package datasets

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ParseSEASummary parses a masquerade summary: f.Blocks rows of f.Users
// fields separated by spaces or tabs, each "0" or "1". The result is indexed
// [block][user]; true marks a masquerade block. name is used in errors,
// which have the form "name:line: ..." for a bad row or value and
// "name: ..." for a wrong row count.
func ParseSEASummary(r io.Reader, name string, f SEAFormat) ([][]bool, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	rows := make([][]bool, 0, f.Blocks)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("datasets: %s:%d: empty line", name, line)
		}
		if len(rows) == f.Blocks {
			return nil, fmt.Errorf("datasets: %s:%d: more than %d rows", name, line, f.Blocks)
		}
		fields := strings.Fields(text)
		if len(fields) != f.Users {
			return nil, fmt.Errorf("datasets: %s:%d: got %d fields, want %d", name, line, len(fields), f.Users)
		}
		row := make([]bool, f.Users)
		for j, v := range fields {
			switch v {
			case "0":
			case "1":
				row[j] = true
			default:
				return nil, fmt.Errorf("datasets: %s:%d: field %d: value %q is not 0 or 1", name, line, j+1, v)
			}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("datasets: %s:%d: %w", name, line+1, err)
	}
	if len(rows) != f.Blocks {
		return nil, fmt.Errorf("datasets: %s: got %d rows, want %d", name, len(rows), f.Blocks)
	}
	return rows, nil
}

// WriteSEASummary writes rows ([block][user]) in the summary format: one
// line per block, fields "0"/"1" separated by single spaces.
func WriteSEASummary(w io.Writer, rows [][]bool) error {
	bw := bufio.NewWriter(w)
	for _, row := range rows {
		for j, v := range row {
			if j > 0 {
				bw.WriteByte(' ')
			}
			if v {
				bw.WriteByte('1')
			} else {
				bw.WriteByte('0')
			}
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("datasets: writing summary: %w", err)
	}
	return nil
}
