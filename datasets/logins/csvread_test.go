package logins

import (
	"strings"
	"testing"
	"time"
)

func TestReadCSV(t *testing.T) {
	in := "\ufeffTime;User;Src IP;Port\n" +
		"2024-03-01 10:00:00;alice;10.0.0.1;22\n" +
		";\"bob;x\";192.0.2.9;22\n"
	seq, st := ReadCSV(strings.NewReader(in), CSVOptions{
		EntityColumn: "user", IPColumn: "src ip", TimeColumn: "time",
		TimeLayout: time.DateTime, Comma: ';',
	})
	evs, err := collect(seq)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("events %v", evs)
	}
	if evs[0].Entity != "alice" || evs[0].IP.String() != "10.0.0.1" || evs[0].Line != 2 ||
		!evs[0].Time.Equal(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("event 0 = %+v", evs[0])
	}
	if evs[1].Entity != "bob;x" || !evs[1].Time.IsZero() || evs[1].Line != 3 {
		t.Errorf("event 1 = %+v", evs[1])
	}
	if st.Records != 2 || st.Events != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestReadCSVUnixTime(t *testing.T) {
	seq, _ := ReadCSV(strings.NewReader("ip,entity,ts\n10.1.2.3,x,1700000000\n"),
		CSVOptions{TimeColumn: "ts", TimeLayout: LayoutUnix})
	evs, err := collect(seq)
	if err != nil || len(evs) != 1 || evs[0].Time.Unix() != 1700000000 || evs[0].Entity != "x" {
		t.Fatalf("%v %v", evs, err)
	}
}

const badCSV = "entity,ip,time\n" +
	"alice,10.0.0.1,2024-01-01T00:00:00Z\n" + // 2 ok
	"bob,10.0.0.256,\n" + // 3 bad ip
	"carol,::1,\n" + // 4 ipv6
	" ,10.0.0.2,\n" + // 5 empty entity
	"dave,10.0.0.3,yesterday\n" + // 6 bad time
	"eve,10.0.0.4\n" + // 7 too few fields
	"x\"y,10.0.0.5,\n" + // 8 bare quote
	"fay,10.0.0.6,\n" // 9 ok

func TestReadCSVStrictAndLenient(t *testing.T) {
	lines := strings.SplitAfter(badCSV, "\n")
	for _, tc := range []struct {
		line   int
		reason Reason
		msg    string
	}{
		{3, ReasonBadIP, `logins: x.csv:3: "10.0.0.256" is not an IPv4 address`},
		{4, ReasonIPv6, `logins: x.csv:4: "::1": IPv6 is not supported`},
		{5, ReasonEmptyEntity, "logins: x.csv:5: empty entity"},
		{6, ReasonTime, ""},
		{7, ReasonFields, ""},
		{8, ReasonCSV, ""},
	} {
		in := lines[0] + strings.Repeat("\n", tc.line-2) + strings.Join(lines[tc.line-1:], "")
		seq, _ := ReadCSV(strings.NewReader(in), CSVOptions{Options: Options{Name: "x.csv"}, TimeColumn: "time"})
		_, err := collect(seq)
		wantParseError(t, err, tc.line, tc.reason, tc.msg)
	}

	seq, st := ReadCSV(strings.NewReader(badCSV), CSVOptions{Options: Options{Lenient: true}, TimeColumn: "time"})
	evs, err := collect(seq)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[1].Entity != "fay" {
		t.Fatalf("events %v", evs)
	}
	for _, r := range []Reason{ReasonBadIP, ReasonIPv6, ReasonEmptyEntity, ReasonTime, ReasonFields, ReasonCSV} {
		if st.Skipped[r] != 1 {
			t.Errorf("skipped %s = %d, want 1 (all %v)", r, st.Skipped[r], st.Skipped)
		}
	}
}

func TestReadCSVMissingColumn(t *testing.T) {
	for _, tc := range []struct {
		header string
		opt    CSVOptions
	}{
		{"entity,addr,time", CSVOptions{Options: Options{Lenient: true}}},
		{"entity,ip,time", CSVOptions{TimeColumn: "when"}},
	} {
		opt := tc.opt
		seq, _ := ReadCSV(strings.NewReader(tc.header+"\na,10.0.0.1,\n"), opt)
		_, err := collect(seq)
		if err == nil || !strings.Contains(err.Error(), "no column") {
			t.Errorf("%+v: error %v, want a missing column", opt, err)
		}
	}
	seq, _ := ReadCSV(strings.NewReader(""), CSVOptions{})
	if _, err := collect(seq); err == nil {
		t.Error("empty input: no error for the missing header")
	}
}
