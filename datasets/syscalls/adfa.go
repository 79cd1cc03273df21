package syscalls

import (
	"errors"
	"io"
	"iter"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Folders of an ADFA-LD directory.
const (
	ADFATrainDir      = "Training_Data_Master"   // normal traces, split train
	ADFAValidationDir = "Validation_Data_Master" // normal traces, split validation
	ADFAAttackDir     = "Attack_Data_Master"     // <Family>_<n>/ folders of attack traces, split test
)

// ReadADFA streams the traces of an ADFA-LD directory (Creech and Hu, WCNC
// 2013): the files of ADFATrainDir, then ADFAValidationDir, then the
// folders <Family>_<n> of ADFAAttackDir ordered by family and n, each in
// sorted file order. A file is one trace of syscall numbers separated by
// white space; traces are number-only, with IDs such as
// "Training_Data_Master/UTD-0001.txt". Files whose names start with "."
// (such as .DS_Store) are ignored; any other file not ending in ".txt", a
// missing folder, a misnamed attack folder, or a token that is not a
// syscall number is an error naming the file (and line), after which the
// sequence stops.
func ReadADFA(root string) iter.Seq2[Trace, error] {
	return func(yield func(Trace, error) bool) {
		err := walkADFA(root, func(rel string, split Split, label Label, family string) error {
			nums, err := readNumberTrace(filepath.Join(root, filepath.FromSlash(rel)), rel)
			if err != nil {
				return err
			}
			if !yield(Trace{ID: rel, Label: label, Family: family, Split: split, Nums: nums}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(Trace{}, err)
		}
	}
}

// errStop ends a walk when the consumer stops iterating.
var errStop = errors.New("syscalls: stop")

// walkADFA calls fn for every trace file of root in reading order.
func walkADFA(root string, fn func(rel string, split Split, label Label, family string) error) error {
	for _, d := range []struct {
		dir   string
		split Split
	}{{ADFATrainDir, SplitTrain}, {ADFAValidationDir, SplitValidation}} {
		files, err := traceFiles(root, d.dir)
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := fn(path.Join(d.dir, f), d.split, Normal, ""); err != nil {
				return err
			}
		}
	}
	ents, err := os.ReadDir(filepath.Join(root, ADFAAttackDir))
	if err != nil {
		return parseErr(ADFAAttackDir, 0, "%v", err)
	}
	type group struct {
		name, family string
		n            int
	}
	var groups []group
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		fam, n, ok := attackFolder(e.Name())
		if !e.IsDir() || !ok {
			return parseErr(path.Join(ADFAAttackDir, e.Name()), 0, "not an attack folder named <Family>_<n>")
		}
		groups = append(groups, group{e.Name(), fam, n})
	}
	slices.SortFunc(groups, func(a, b group) int {
		if c := strings.Compare(a.family, b.family); c != 0 {
			return c
		}
		return a.n - b.n
	})
	for _, g := range groups {
		dir := path.Join(ADFAAttackDir, g.name)
		files, err := traceFiles(root, dir)
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := fn(path.Join(dir, f), SplitTest, Attack, g.family); err != nil {
				return err
			}
		}
	}
	return nil
}

// attackFolder splits "Hydra_FTP_3" into ("Hydra_FTP", 3).
func attackFolder(name string) (family string, n int, ok bool) {
	i := strings.LastIndexByte(name, '_')
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(name[i+1:])
	if err != nil || n < 0 {
		return "", 0, false
	}
	return name[:i], n, true
}

// traceFiles lists the .txt files of root/dir in sorted order, ignoring
// names starting with "." and rejecting anything else.
func traceFiles(root, dir string) ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return nil, parseErr(dir, 0, "%v", err)
	}
	var out []string
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if e.IsDir() || !strings.HasSuffix(name, ".txt") {
			return nil, parseErr(path.Join(dir, name), 0, "not a .txt trace file")
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return out, nil
}

// readNumberTrace reads a file of syscall numbers separated by white space.
func readNumberTrace(file, name string) ([]int32, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, parseErr(name, 0, "%v", err)
	}
	defer fh.Close()
	return parseNumberTrace(fh, name)
}

// parseNumberTrace reads syscall numbers separated by white space from r.
func parseNumberTrace(r io.Reader, name string) ([]int32, error) {
	lr := newLineReader(r, name)
	nums := []int32{}
	for {
		line, err := lr.next()
		if err == io.EOF {
			return nums, nil
		}
		if err != nil {
			return nil, err
		}
		for {
			var tok []byte
			tok, line = nextField(line)
			if len(tok) == 0 {
				break
			}
			n, ok := parseSyscallNum(tok)
			if !ok {
				return nil, parseErr(name, lr.line, "token %q is not a syscall number", tok)
			}
			nums = append(nums, n)
		}
	}
}
