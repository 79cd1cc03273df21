package syscalls

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadUNMGenerated(t *testing.T) {
	rng := newRNG(5, 6)
	want := map[int32][]int32{}
	var order []int32
	var b strings.Builder
	b.WriteString("\n")
	for range 400 {
		pid := int32(500 + rng.IntN(5))
		if _, ok := want[pid]; !ok {
			order = append(order, pid)
		}
		num := int32(rng.IntN(200))
		want[pid] = append(want[pid], num)
		fmt.Fprintf(&b, "%d %d", pid, num)
		switch rng.IntN(4) {
		case 0:
			b.WriteString(" \t ")
		case 1:
			b.WriteString("\n")
		case 2:
			b.WriteString("\r")
		}
		b.WriteString("\n")
	}
	traces, err := ReadUNM(strings.NewReader(b.String()), "lpr.int", Attack, SplitTest)
	if err != nil {
		t.Fatal(err)
	}
	if len(traces) != len(order) {
		t.Fatalf("got %d traces, want %d", len(traces), len(order))
	}
	for i, pid := range order {
		tr := traces[i]
		if tr.ID != fmt.Sprintf("lpr.int#%d", pid) || tr.Label != Attack || tr.Split != SplitTest || !reflect.DeepEqual(tr.Nums, want[pid]) {
			t.Errorf("trace %d: %+v", i, tr)
		}
	}
	path := filepath.Join(t.TempDir(), "sendmail.normal")
	if err := os.WriteFile(path, []byte("1 2\n1 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tf, err := ReadUNMFile(path, Normal, SplitTrain)
	if err != nil || len(tf) != 1 || tf[0].ID != "sendmail.normal#1" || !reflect.DeepEqual(tf[0].Nums, []int32{2, 3}) {
		t.Errorf("ReadUNMFile: %v %+v", err, tf)
	}
}

func TestReadUNMErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"one field", "1 2\n\n3\n", 3, "want \"PID SYSCALL_NUMBER\""},
		{"three fields", "1 2\n1 2 3\n", 2, `unexpected field "3"`},
		{"bad pid", "p1 2\n", 1, `process id "p1"`},
		{"bad number", "1 2\n1 two\n", 2, `token "two" is not a syscall number`},
		{"negative number", "1 -2\n", 1, `token "-2"`},
		{"comment", "# header\n1 2\n", 1, `process id "#"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadUNM(strings.NewReader(tc.in), "x.trace", Normal, SplitNone)
			wantParseErr(t, err, "x.trace", tc.line, tc.msg)
		})
	}
}
