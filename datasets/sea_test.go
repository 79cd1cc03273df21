package datasets

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// smallFormat is the reduced layout used by the tests.
var smallFormat = SEAFormat{Users: 5, TrainLen: 500, Blocks: 10, BlockLen: 20}

// writeSmall writes a small synthetic data set to a fresh directory.
func writeSmall(t *testing.T) (string, *SEA) {
	t.Helper()
	s := SyntheticSEA(SyntheticConfig{Format: smallFormat}, rand.New(rand.NewPCG(7, 7)))
	dir := t.TempDir()
	if err := WriteSEA(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

func TestReadSEARoundTrip(t *testing.T) {
	dir, want := writeSmall(t)
	got, err := ReadSEA(dir, smallFormat)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("read data differs from written data")
	}
}

func TestReadSEAHandWritten(t *testing.T) {
	dir := t.TempDir()
	f := SEAFormat{Users: 2, TrainLen: 2, Blocks: 2, BlockLen: 1}
	files := map[string]string{
		"User1":        "ls\ncat\nvi\nmake\n",
		"User2":        "sh\r\nsh\r\ncc\r\nld", // CRLF and no final newline
		SEASummaryFile: "0 1\n1 0\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadSEA(dir, f)
	if err != nil {
		t.Fatal(err)
	}
	want := &SEA{Users: []SEAUser{
		{Name: "User1", Train: []string{"ls", "cat"}, Blocks: [][]string{{"vi"}, {"make"}}, Labels: []bool{false, true}},
		{Name: "User2", Train: []string{"sh", "sh"}, Blocks: [][]string{{"cc"}, {"ld"}}, Labels: []bool{true, false}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if b, u := got.MasqueradeCount(); b != 2 || u != 2 {
		t.Fatalf("MasqueradeCount = %d, %d; want 2, 2", b, u)
	}
}

func TestReadSEAErrors(t *testing.T) {
	lines := smallFormat.Lines()
	set := func(i int, v string) func([]string) []string {
		return func(l []string) []string { l[i] = v; return l }
	}
	tests := []struct {
		name string
		file string
		edit func([]string) []string // nil removes the file
		want []string                // substrings of the error
	}{
		{"missing user", "User3", nil, []string{"User3", "no such file"}},
		{"missing summary", SEASummaryFile, nil, []string{SEASummaryFile}},
		{"short file", "User2", func(l []string) []string { return l[:lines-1] }, []string{"User2", "expected 700 lines, got 699"}},
		{"long file", "User2", func(l []string) []string { return append(l, "ls") }, []string{"User2", "expected 700 lines, got 701"}},
		{"empty line", "User4", set(41, ""), []string{"User4:42: empty line"}},
		{"white space", "User1", set(9, "ls -l"), []string{"User1:10:", "white space"}},
		{"summary field count", SEASummaryFile, set(2, "0 0 0 0"), []string{SEASummaryFile + ":3: got 4 fields, want 5"}},
		{"summary value", SEASummaryFile, set(6, "0 0 2 0 0"), []string{SEASummaryFile + ":7: field 3: value \"2\" is not 0 or 1"}},
		{"summary short", SEASummaryFile, func(l []string) []string { return l[:9] }, []string{SEASummaryFile + ": got 9 rows, want 10"}},
		{"summary long", SEASummaryFile, func(l []string) []string { return append(l, "0 0 0 0 0") }, []string{SEASummaryFile + ":11: more than 10 rows"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := writeSmall(t)
			var err error
			if tc.edit == nil {
				err = os.Remove(filepath.Join(dir, tc.file))
			} else {
				err = rewriteLines(dir, tc.file, tc.edit)
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = ReadSEA(dir, smallFormat)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestReadSEABadFormat(t *testing.T) {
	if _, err := ReadSEA(t.TempDir(), SEAFormat{Users: 1, TrainLen: 0, Blocks: 1, BlockLen: 1}); err == nil {
		t.Fatal("no error for a zero training length")
	}
}

func TestWriteSEAErrors(t *testing.T) {
	good := func() *SEA {
		return &SEA{Users: []SEAUser{{Name: "User1", Train: []string{"ls"}, Blocks: [][]string{{"cat"}}, Labels: []bool{true}}}}
	}
	tests := []struct {
		name   string
		mutate func(*SEA)
		want   string
	}{
		{"no users", func(s *SEA) { s.Users = nil }, "no users"},
		{"bad name", func(s *SEA) { s.Users[0].Name = "alice" }, `named "alice"`},
		{"label count", func(s *SEA) { s.Users[0].Labels = nil }, "0 labels"},
		{"space in command", func(s *SEA) { s.Users[0].Train[0] = "ls -l" }, "white space"},
		{"empty command", func(s *SEA) { s.Users[0].Blocks[0][0] = "" }, "command 2"},
		{"ragged block", func(s *SEA) {
			s.Users = append(s.Users, SEAUser{Name: "User2", Train: []string{"a"}, Blocks: [][]string{{"b", "c"}}, Labels: []bool{false}})
		}, "block 0 has 2 commands"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := good()
			tc.mutate(s)
			err := WriteSEA(t.TempDir(), s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if err := WriteSEA(t.TempDir(), good()); err != nil {
		t.Fatalf("valid data: %v", err)
	}
}

func TestCorpus(t *testing.T) {
	s := &SEA{Users: []SEAUser{
		{Name: "User1", Train: []string{"a", "b"}, Blocks: [][]string{{"c"}, {"d"}}, Labels: []bool{false, false}},
		{Name: "User2", Train: []string{"e", "f"}, Blocks: [][]string{{"g"}, {"h"}}, Labels: []bool{false, true}},
	}}
	want := [][]string{{"a", "b", "c", "d"}, {"e", "f", "g", "h"}}
	if got := s.Corpus(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Corpus = %v, want %v", got, want)
	}
	if got := s.TrainCorpus(); !reflect.DeepEqual(got, [][]string{{"a", "b"}, {"e", "f"}}) {
		t.Fatalf("TrainCorpus = %v", got)
	}
}

// rewriteLines replaces the lines of dir/name by edit(lines).
func rewriteLines(dir, name string, edit func([]string) []string) error {
	p := filepath.Join(dir, name)
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	return os.WriteFile(p, []byte(strings.Join(edit(lines), "\n")+"\n"), 0o644)
}
