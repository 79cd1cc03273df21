package datasets

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ReadSEA reads a SEA directory laid out as f: files UserName(0) ..
// UserName(f.Users-1) with f.Lines() commands each, one per line, and
// SEASummaryFile. Errors name the file and, where it applies, the line: a
// missing file, a wrong line count (expected and got), an empty line, a
// command containing white space, or a malformed summary.
func ReadSEA(dir string, f SEAFormat) (*SEA, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	sumPath := filepath.Join(dir, SEASummaryFile)
	sf, err := os.Open(sumPath)
	if err != nil {
		return nil, fmt.Errorf("datasets: reading SEA summary: %w", err)
	}
	rows, err := ParseSEASummary(sf, sumPath, f)
	sf.Close()
	if err != nil {
		return nil, err
	}
	s := &SEA{Users: make([]SEAUser, f.Users)}
	for i := range s.Users {
		name := UserName(i)
		cmds, err := readCommands(filepath.Join(dir, name), f.Lines())
		if err != nil {
			return nil, err
		}
		u := SEAUser{Name: name, Train: cmds[:f.TrainLen:f.TrainLen]}
		u.Blocks = make([][]string, f.Blocks)
		u.Labels = make([]bool, f.Blocks)
		for b := range u.Blocks {
			lo := f.TrainLen + b*f.BlockLen
			u.Blocks[b] = cmds[lo : lo+f.BlockLen : lo+f.BlockLen]
			u.Labels[b] = rows[b][i]
		}
		s.Users[i] = u
	}
	return s, nil
}

// readCommands reads a file of exactly want commands, one per line. A final
// newline is optional; a trailing carriage return is dropped.
func readCommands(path string, want int) ([]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: reading SEA user: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	cmds := make([]string, 0, want)
	line := 0
	for sc.Scan() {
		line++
		c := strings.TrimSuffix(sc.Text(), "\r")
		if c == "" {
			return nil, fmt.Errorf("datasets: %s:%d: empty line", path, line)
		}
		if strings.ContainsAny(c, " \t\v\f\r") {
			return nil, fmt.Errorf("datasets: %s:%d: command %q contains white space", path, line, c)
		}
		cmds = append(cmds, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("datasets: %s:%d: %w", path, line+1, err)
	}
	if len(cmds) != want {
		return nil, fmt.Errorf("datasets: %s: expected %d lines, got %d", path, want, len(cmds))
	}
	return cmds, nil
}
