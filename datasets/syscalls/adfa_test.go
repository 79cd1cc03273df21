package syscalls

import (
	"reflect"
	"slices"
	"testing"
)

func TestReadADFAOrderAndLabels(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Training_Data_Master/UTD-0002.txt":            "3 4\n",
		"Training_Data_Master/UTD-0001.txt":            "6 6 63 ",
		"Training_Data_Master/.DS_Store":               "junk",
		"Validation_Data_Master/UVD-0001.txt":          "1\n2\t3\r\n",
		"Attack_Data_Master/Hydra_FTP_10/UAD-a.txt":    "5",
		"Attack_Data_Master/Hydra_FTP_2/UAD-b.txt":     "11 11",
		"Attack_Data_Master/Adduser_1/UAD-c.txt":       "",
		"Attack_Data_Master/Web_Shell_1/UAD-d.txt":     "102",
		"Attack_Data_Master/Web_Shell_1/UAD-e.txt":     "0",
		"Attack_Data_Master/Web_Shell_1/.hidden/x.txt": "oops",
	})
	got, err := collect(ReadADFA(dir))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id     string
		label  Label
		family string
		split  Split
		nums   []int32
	}
	want := []row{
		{"Training_Data_Master/UTD-0001.txt", Normal, "", SplitTrain, []int32{6, 6, 63}},
		{"Training_Data_Master/UTD-0002.txt", Normal, "", SplitTrain, []int32{3, 4}},
		{"Validation_Data_Master/UVD-0001.txt", Normal, "", SplitValidation, []int32{1, 2, 3}},
		{"Attack_Data_Master/Adduser_1/UAD-c.txt", Attack, "Adduser", SplitTest, []int32{}},
		{"Attack_Data_Master/Hydra_FTP_2/UAD-b.txt", Attack, "Hydra_FTP", SplitTest, []int32{11, 11}},
		{"Attack_Data_Master/Hydra_FTP_10/UAD-a.txt", Attack, "Hydra_FTP", SplitTest, []int32{5}},
		{"Attack_Data_Master/Web_Shell_1/UAD-d.txt", Attack, "Web_Shell", SplitTest, []int32{102}},
		{"Attack_Data_Master/Web_Shell_1/UAD-e.txt", Attack, "Web_Shell", SplitTest, []int32{0}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d traces, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := row{got[i].ID, got[i].Label, got[i].Family, got[i].Split, got[i].Nums}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("trace %d: got %+v, want %+v", i, g, w)
		}
	}
	// Stopping early must not yield again.
	n := 0
	for range ReadADFA(dir) {
		n++
		if n == 2 {
			break
		}
	}
}

func TestReadADFAErrors(t *testing.T) {
	base := map[string]string{
		"Training_Data_Master/UTD-0001.txt":      "1 2",
		"Validation_Data_Master/UVD-0001.txt":    "1 2",
		"Attack_Data_Master/Adduser_1/UAD-1.txt": "1 2",
	}
	tests := []struct {
		name  string
		edit  map[string]string
		drop  string
		file  string
		line  int
		msg   string
		after int // traces yielded before the error
	}{
		{"letter token", map[string]string{"Training_Data_Master/UTD-0001.txt": "1 x1 2"}, "", "Training_Data_Master/UTD-0001.txt", 1, `token "x1" is not a syscall number`, 0},
		{"negative on line 2", map[string]string{"Validation_Data_Master/UVD-0001.txt": "1 2\n3 -4\n"}, "", "Validation_Data_Master/UVD-0001.txt", 2, `token "-4" is not a syscall number`, 1},
		{"overflow", map[string]string{"Attack_Data_Master/Adduser_1/UAD-1.txt": "99999999999"}, "", "Attack_Data_Master/Adduser_1/UAD-1.txt", 1, "not a syscall number", 2},
		{"decimal", map[string]string{"Training_Data_Master/UTD-0001.txt": "1.5"}, "", "Training_Data_Master/UTD-0001.txt", 1, "not a syscall number", 0},
		{"misnamed attack folder", map[string]string{"Attack_Data_Master/Adduser/UAD-1.txt": "1"}, "", "Attack_Data_Master/Adduser", 0, "<Family>_<n>", 2},
		{"stray file", map[string]string{"Training_Data_Master/notes.md": "hi"}, "", "Training_Data_Master/notes.md", 0, "not a .txt", 0},
		{"missing folder", nil, "Validation_Data_Master/UVD-0001.txt", "Validation_Data_Master", 0, "no such file", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{}
			for k, v := range base {
				if k != tc.drop {
					files[k] = v
				}
			}
			for k, v := range tc.edit {
				files[k] = v
			}
			writeFiles(t, dir, files)
			got, err := collect(ReadADFA(dir))
			wantParseErr(t, err, tc.file, tc.line, tc.msg)
			if len(got) != tc.after {
				t.Errorf("%d traces before the error, want %d", len(got), tc.after)
			}
		})
	}
}

func TestWriteADFARoundTrip(t *testing.T) {
	traces := Synthetic(SyntheticConfig{Train: 5, Validation: 3, TestNormal: 2, TestAttack: 12, MinCalls: 30, MaxCalls: 60, Exits: true}, newRNG(1, 1))
	dir := t.TempDir()
	if err := WriteADFA(dir, traces); err != nil {
		t.Fatal(err)
	}
	got, err := collect(ReadADFA(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(traces) {
		t.Fatalf("read %d traces, wrote %d", len(got), len(traces))
	}
	byNums := map[string]Trace{}
	for _, g := range got {
		byNums[g.Family+"|"+fmtNums(g.Nums)] = g
	}
	var fams []string
	for _, tr := range traces {
		var nums []int32
		for _, c := range FilterDirection(tr.Calls, DirEnter) {
			nums = append(nums, c.Num)
		}
		g, ok := byNums[tr.Family+"|"+fmtNums(nums)]
		if !ok {
			t.Fatalf("trace %s not read back", tr.ID)
		}
		if g.Label != tr.Label {
			t.Errorf("%s: label %v, want %v", tr.ID, g.Label, tr.Label)
		}
		wantSplit := SplitValidation
		switch {
		case tr.Label == Attack:
			wantSplit = SplitTest
		case tr.Split == SplitTrain:
			wantSplit = SplitTrain
		}
		if g.Split != wantSplit {
			t.Errorf("%s: split %q, want %q", tr.ID, g.Split, wantSplit)
		}
		if g.Label == Attack && !slices.Contains(fams, g.Family) {
			fams = append(fams, g.Family)
		}
	}
	if len(fams) != len(SyntheticFamilies()) {
		t.Errorf("families read back %v, want %v", fams, SyntheticFamilies())
	}
	if err := WriteADFA(t.TempDir(), []Trace{{ID: "x", Label: Attack, Nums: []int32{1}}}); err == nil {
		t.Error("attack without family written")
	}
}

func fmtNums(n []int32) string { return fmtInts(n) }
