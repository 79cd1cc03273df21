package datasets

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestParseSEASummary(t *testing.T) {
	f := SEAFormat{Users: 3, TrainLen: 1, Blocks: 2, BlockLen: 1}
	tests := []struct {
		name, in string
		want     [][]bool
		err      string
	}{
		{"ok", "0 1 0\n1 1 0\n", [][]bool{{false, true, false}, {true, true, false}}, ""},
		{"tabs crlf no final newline", "0\t0  1\r\n1 0 0", [][]bool{{false, false, true}, {true, false, false}}, ""},
		{"empty file", "", nil, "s.txt: got 0 rows, want 2"},
		{"blank line", "0 0 0\n\n0 0 0\n", nil, "s.txt:2: empty line"},
		{"too few fields", "0 0 0\n0 0\n", nil, "s.txt:2: got 2 fields, want 3"},
		{"too many fields", "0 0 0 1\n", nil, "s.txt:1: got 4 fields, want 3"},
		{"bad value", "0 0 0\n0 x 0\n", nil, `s.txt:2: field 2: value "x" is not 0 or 1`},
		{"two digit value", "0 0 10\n", nil, `s.txt:1: field 3: value "10"`},
		{"extra row", "0 0 0\n0 0 0\n1 1 1\n", nil, "s.txt:3: more than 2 rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSEASummary(strings.NewReader(tc.in), "s.txt", f)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWriteSEASummary(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSEASummary(&buf, [][]bool{{true, false}, {false, false}}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "1 0\n0 0\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func FuzzParseSEASummary(f *testing.F) {
	f.Add("0 1\n1 0\n0 0\n")
	f.Add("0 1\r\n1 0\r\n0 0")
	f.Add("0 1\n\n1 0\n")
	f.Add("2 1\n")
	f.Add("0\t1\n1  0\n1 1\n1 1\n")
	format := SEAFormat{Users: 2, TrainLen: 1, Blocks: 3, BlockLen: 1}
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ParseSEASummary(strings.NewReader(in), "fuzz", format)
		if err != nil {
			if rows != nil {
				t.Fatal("rows returned with an error")
			}
			if !strings.Contains(err.Error(), "fuzz") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(rows) != format.Blocks {
			t.Fatalf("%d rows", len(rows))
		}
		for _, r := range rows {
			if len(r) != format.Users {
				t.Fatalf("row with %d fields", len(r))
			}
		}
		var buf bytes.Buffer
		if err := WriteSEASummary(&buf, rows); err != nil {
			t.Fatal(err)
		}
		again, err := ParseSEASummary(&buf, "again", format)
		if err != nil || !reflect.DeepEqual(again, rows) {
			t.Fatalf("rewritten summary does not parse back: %v", err)
		}
	})
}
