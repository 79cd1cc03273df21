package syscalls

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// adfaFolderSize is the number of attack traces WriteADFA puts in one
// <Family>_<n> folder.
const adfaFolderSize = 10

// WriteADFA writes traces in the ADFA-LD layout under root, so that
// ReadADFA reads them back: normal training traces to ADFATrainDir as
// UTD-0001.txt.., other normal traces (validation and test) to
// ADFAValidationDir as UVD-0001.txt.., attack traces to
// ADFAAttackDir/<Family>_<n>/UAD-<Family>-<n>-<k>.txt, ten to a folder in
// the order given. Only entry events (or events without direction) are
// written, as numbers separated by spaces. It fails on an attack without a
// family, a family containing a path separator or white space, or a call
// without a syscall number.
func WriteADFA(root string, traces []Trace) error {
	var nTrain, nVal int
	famCount := map[string]int{}
	for i, t := range traces {
		var rel string
		switch {
		case t.Label == Attack:
			f := t.Family
			if f == "" || strings.ContainsAny(f, "/\\ \t\n") {
				return fmt.Errorf("syscalls: trace %d (%s): attack family %q cannot name a folder", i, t.ID, f)
			}
			k := famCount[f]
			famCount[f]++
			n := k/adfaFolderSize + 1
			rel = filepath.Join(ADFAAttackDir, fmt.Sprintf("%s_%d", f, n), fmt.Sprintf("UAD-%s-%d-%04d.txt", f, n, k%adfaFolderSize+1))
		case t.Split == SplitTrain:
			nTrain++
			rel = filepath.Join(ADFATrainDir, fmt.Sprintf("UTD-%04d.txt", nTrain))
		default:
			nVal++
			rel = filepath.Join(ADFAValidationDir, fmt.Sprintf("UVD-%04d.txt", nVal))
		}
		if err := writeNumberTrace(filepath.Join(root, rel), t); err != nil {
			return fmt.Errorf("syscalls: trace %d (%s): %w", i, t.ID, err)
		}
	}
	for _, d := range []string{ADFATrainDir, ADFAValidationDir, ADFAAttackDir} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return fmt.Errorf("syscalls: %w", err)
		}
	}
	return nil
}

// writeNumberTrace writes the entry-event syscall numbers of t to file.
func writeNumberTrace(file string, t Trace) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	fh, err := os.Create(file)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(fh)
	first := true
	put := func(n int32) {
		if !first {
			w.WriteByte(' ')
		}
		first = false
		w.WriteString(strconv.Itoa(int(n)))
	}
	if t.Calls == nil {
		for _, n := range t.Nums {
			put(n)
		}
	}
	for j, c := range t.Calls {
		if c.Dir == DirExit {
			continue
		}
		if c.Num < 0 {
			fh.Close()
			return fmt.Errorf("call %d (%s) has no syscall number", j, c.Name)
		}
		put(c.Num)
	}
	w.WriteByte('\n')
	if err := w.Flush(); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
