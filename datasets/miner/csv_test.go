package miner

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

func TestFeatureCSVRoundTrip(t *testing.T) {
	rows := Windows(tinyStream(), WindowConfig{Length: time.Minute})
	rows[0].Values[FeatCPUStd] = math.Sqrt(2) // a value needing all digits
	rows[1].Program = `odd "name", with comma`
	var buf bytes.Buffer
	if err := WriteFeatureCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	header := strings.SplitN(buf.String(), "\n", 2)[0]
	if !strings.HasPrefix(header, "program,pid,name,window_start,miner,sys_file,") || !strings.HasSuffix(header, ",libs_loaded,crypto_lib") {
		t.Fatalf("header %s", header)
	}
	var got []FeatureRow
	if err := ReadFeatureCSV(&buf, func(r FeatureRow) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("read %d rows, want %d", len(got), len(rows))
	}
	for i := range rows {
		if got[i] != rows[i] {
			t.Errorf("row %d: read %+v, want %+v", i, got[i], rows[i])
		}
	}
}

func TestFeatureCSVEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFeatureCSV(&buf, nil); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := ReadFeatureCSV(&buf, func(FeatureRow) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("empty CSV: %d rows, %v", n, err)
	}
	wantParseErr(t, ReadFeatureCSV(strings.NewReader(""), func(FeatureRow) error { return nil }), "input", 0, "empty input")
}

func TestFeatureCSVMalformed(t *testing.T) {
	header := strings.Join(CSVHeader(), ",")
	good := "p,1,n,60,0" + strings.Repeat(",0", int(NumFeatures))
	for _, tc := range []struct {
		name, body string
		line       int
		msg        string
	}{
		{"bad header", "program,pid\n", 1, "header"},
		{"short row", header + "\n" + good + "\np,1,n,60,0\n", 3, "wrong number of fields"},
		{"bad pid", header + "\n" + strings.Replace(good, ",1,", ",x,", 1) + "\n", 2, `pid "x"`},
		{"bad label", header + "\n" + good + "\n" + strings.Replace(good, ",60,0", ",60,2", 1) + "\n", 3, `miner "2"`},
		{"bad value", header + "\n" + good + "\n" + good[:len(good)-1] + "NaNx\n", 3, `crypto_lib "NaNx"`},
		{"bad quote", header + "\n" + `"p,1` + "\n", 2, "quote"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ReadFeatureCSV(strings.NewReader(tc.body), func(FeatureRow) error { return nil })
			wantParseErr(t, err, "input", tc.line, tc.msg)
		})
	}
}
