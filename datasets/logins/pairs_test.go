package logins

import (
	"strings"
	"testing"
)

func TestReadPairs(t *testing.T) {
	in := "alice,10.0.0.1\n\"bob, jr\",\"192.0.2.5\"\n  carol , 198.51.100.9 \n\n\"multi\nline\",10.0.0.2\n"
	seq, st := ReadPairs(strings.NewReader(in), Options{Name: "train.csv"})
	evs, err := collect(seq)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		ent, ip string
		line    int
	}{{"alice", "10.0.0.1", 1}, {"bob, jr", "192.0.2.5", 2}, {"carol", "198.51.100.9", 3}, {"multi\nline", "10.0.0.2", 5}}
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %v", len(evs), len(want), evs)
	}
	for i, w := range want {
		if evs[i].Entity != w.ent || evs[i].IP.String() != w.ip || evs[i].Line != w.line {
			t.Errorf("event %d = %q %v line %d, want %q %s line %d", i, evs[i].Entity, evs[i].IP, evs[i].Line, w.ent, w.ip, w.line)
		}
	}
	if st.Records != 4 || st.Events != 4 || st.TotalSkipped() != 0 {
		t.Errorf("stats %+v", st)
	}
}

const badPairs = "alice,10.0.0.1\n" + // 1 ok
	"bob,10.0.0.300\n" + // 2 bad ip
	"carol,2001:db8::1\n" + // 3 ipv6
	",10.0.0.2\n" + // 4 empty entity
	"dave,10.0.0.3,extra\n" + // 5 field count
	"eve\n" + // 6 field count
	"fr\"ed,10.0.0.4\n" + // 7 bare quote
	"gina,10.0.0.5\n" // 8 ok

func TestReadPairsStrict(t *testing.T) {
	for _, tc := range []struct {
		skip   int // lines to drop from badPairs before reading
		line   int
		reason Reason
		msg    string
	}{
		{1, 2, ReasonBadIP, `logins: auth.csv:2: "10.0.0.300" is not an IPv4 address`},
		{2, 3, ReasonIPv6, `logins: auth.csv:3: "2001:db8::1": IPv6 is not supported`},
		{3, 4, ReasonEmptyEntity, "logins: auth.csv:4: empty entity"},
		{4, 5, ReasonFields, "logins: auth.csv:5: 3 fields, want 2 (entity,IPv4)"},
		{5, 6, ReasonFields, ""},
		{6, 7, ReasonCSV, ""},
	} {
		lines := strings.SplitAfter(badPairs, "\n")
		in := strings.Repeat("\n", tc.skip) + strings.Join(lines[tc.skip:], "")
		seq, _ := ReadPairs(strings.NewReader(in), Options{Name: "auth.csv"})
		evs, err := collect(seq)
		if len(evs) != 0 {
			t.Errorf("line %d: %d events before the error", tc.line, len(evs))
		}
		wantParseError(t, err, tc.line, tc.reason, tc.msg)
	}
}

func TestReadPairsLenient(t *testing.T) {
	seq, st := ReadPairs(strings.NewReader(badPairs), Options{Lenient: true})
	evs, err := collect(seq)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Entity != "alice" || evs[1].Entity != "gina" || evs[1].Line != 8 {
		t.Fatalf("events %v", evs)
	}
	want := map[Reason]int{ReasonBadIP: 1, ReasonIPv6: 1, ReasonEmptyEntity: 1, ReasonFields: 2, ReasonCSV: 1}
	for r, n := range want {
		if st.Skipped[r] != n {
			t.Errorf("skipped %s = %d, want %d (all %v)", r, st.Skipped[r], n, st.Skipped)
		}
	}
	if st.Records != 8 || st.Events != 2 || st.TotalSkipped() != 6 {
		t.Errorf("stats %+v", st)
	}
}

func TestReadPairsStopEarly(t *testing.T) {
	seq, st := ReadPairs(strings.NewReader("a,10.0.0.1\nb,10.0.0.2\nc,bad\n"), Options{})
	for range seq {
		break
	}
	if st.Events != 1 {
		t.Errorf("events %d after break, want 1", st.Events)
	}
}
