package datasets

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// WriteSEA writes s to dir (which must exist) in the layout ReadSEA reads:
// one file per user named UserName(i) with one command per line, and
// SEASummaryFile. It fails when s is inconsistent (see SEA.Format) or a
// command is empty or contains white space.
func WriteSEA(dir string, s *SEA) error {
	f, err := s.Format()
	if err != nil {
		return err
	}
	for i := range s.Users {
		u := &s.Users[i]
		if err := writeCommands(filepath.Join(dir, u.Name), u.Commands()); err != nil {
			return err
		}
	}
	rows := make([][]bool, f.Blocks)
	for b := range rows {
		rows[b] = make([]bool, f.Users)
		for i := range s.Users {
			rows[b][i] = s.Users[i].Labels[b]
		}
	}
	path := filepath.Join(dir, SEASummaryFile)
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	if err := WriteSEASummary(fh, rows); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	return nil
}

func writeCommands(path string, cmds []string) (err error) {
	for i, c := range cmds {
		if c == "" || strings.ContainsAny(c, " \t\n\v\f\r") {
			return fmt.Errorf("datasets: %s: command %d (%q) is empty or contains white space", path, i+1, c)
		}
	}
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer func() {
		if cerr := fh.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("datasets: %w", cerr)
		}
	}()
	bw := bufio.NewWriter(fh)
	for _, c := range cmds {
		bw.WriteString(c)
		bw.WriteByte('\n')
	}
	if ferr := bw.Flush(); ferr != nil {
		return fmt.Errorf("datasets: writing %s: %w", path, ferr)
	}
	return nil
}
