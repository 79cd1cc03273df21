package logins

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const sshdSample = `Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186
Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): check pass; user unknown
Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2
Dec 10 07:07:45 LabSZ sshd[24206]: Received disconnect from 52.80.34.196: 11: Bye Bye [preauth]
Dec 10 07:13:43 LabSZ sshd[24227]: Failed password for root from 5.36.59.76 port 42393 ssh2
Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 2 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]
Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2
Dec 10 09:32:20 LabSZ CRON[24681]: pam_unix(cron:session): session opened for user root by (uid=0)

Dec 31 23:59:59 LabSZ sshd[1]: Failed none for invalid user  x from 10.9.8.7 port 1 ssh2
Jan  1 00:00:01 LabSZ sshd[2]: Accepted publickey for git from 198.51.100.4 port 5000 ssh2: ED25519 SHA256:abc
2024-05-06T07:08:09.5+02:00 host sshd-session[3]: Failed password for invalid user a from 1.1.1.1 port 2 from 203.0.113.8 port 22 ssh2
`

// formatEvent renders an event for golden comparison.
func formatEvent(e Event) string {
	return fmt.Sprintf("%d %s %q %s %s %s invalid=%v", e.Line, e.Time.Format(time.RFC3339Nano), e.Entity, e.IP, e.Outcome, e.Method, e.InvalidUser)
}

func TestReadSSHDGolden(t *testing.T) {
	seq, st := ReadSSHD(strings.NewReader(sshdSample), SSHDOptions{Year: 2015, ExpandRepeats: true})
	evs, err := collect(seq)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, formatEvent(e))
	}
	want := []string{
		`3 2015-12-10T06:55:48Z "webmaster" 173.234.31.186 failed password invalid=true`,
		`5 2015-12-10T07:13:43Z "root" 5.36.59.76 failed password invalid=false`,
		`6 2015-12-10T07:13:56Z "root" 5.36.59.76 failed password invalid=false`,
		`6 2015-12-10T07:13:56Z "root" 5.36.59.76 failed password invalid=false`,
		`7 2015-12-10T09:32:20Z "fztu" 119.137.62.142 accepted password invalid=false`,
		`10 2015-12-31T23:59:59Z " x" 10.9.8.7 failed none invalid=true`,
		`11 2016-01-01T00:00:01Z "git" 198.51.100.4 accepted publickey invalid=false`,
		`12 2024-05-06T07:08:09.5+02:00 "a from 1.1.1.1 port 2" 203.0.113.8 failed password invalid=true`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st.Records != 11 || st.Events != 8 || st.Ignored != 4 || st.TotalSkipped() != 0 {
		t.Errorf("stats %+v", st)
	}

	seq, st = ReadSSHD(strings.NewReader(sshdSample), SSHDOptions{Year: 2015})
	evs, err = collect(seq)
	if err != nil || len(evs) != 6 || st.Ignored != 5 {
		t.Errorf("without repeats: %d events, %+v, %v", len(evs), st, err)
	}
}

func TestReadSSHDLocation(t *testing.T) {
	loc := time.FixedZone("X", 3600)
	seq, _ := ReadSSHD(strings.NewReader("Feb  3 04:05:06 h sshd[1]: Accepted password for u from 10.0.0.1 port 1 ssh2\n"),
		SSHDOptions{Year: 2020, Location: loc})
	evs, err := collect(seq)
	if err != nil || len(evs) != 1 || !evs[0].Time.Equal(time.Date(2020, 2, 3, 3, 5, 6, 0, time.UTC)) {
		t.Fatalf("%v %v", evs, err)
	}
}

const badSSHD = "Dec 10 06:55:48 h sshd[1]: Accepted password for ok from 10.0.0.1 port 1 ssh2\n" + // 1 ok
	"Dec 10 06:55:48 h sshd[1]: Failed password for bob from 10.0.0.300 port 1 ssh2\n" + // 2 bad ip
	"Dec 10 06:55:48 h sshd[1]: Accepted publickey for bob from 2001:db8::5 port 1 ssh2\n" + // 3 ipv6
	"Dec 10 06:55:48 h sshd[1]: Failed password for invalid user  from 10.0.0.2 port 1 ssh2\n" + // 4 empty user
	"Dec 10 06:55:48 h sshd[1]: Failed password for bob\n" + // 5 no from
	"garbage without a timestamp\n" + // 6 not syslog
	"Dec 10 06:55:49 h sshd[1]: Accepted password for ok2 from 10.0.0.3 port 1 ssh2\n" // 7 ok

func TestReadSSHDStrictAndLenient(t *testing.T) {
	lines := strings.SplitAfter(badSSHD, "\n")
	for _, tc := range []struct {
		line   int
		reason Reason
		msg    string
	}{
		{2, ReasonBadIP, `logins: auth.log:2: "10.0.0.300" is not an IPv4 address`},
		{3, ReasonIPv6, `logins: auth.log:3: "2001:db8::5": IPv6 is not supported`},
		{4, ReasonEmptyEntity, "logins: auth.log:4: empty user name"},
		{5, ReasonSyntax, ""},
		{6, ReasonSyntax, "logins: auth.log:6: not a syslog line"},
	} {
		in := strings.Join(lines[:1], "") + strings.Repeat("\n", tc.line-2) + strings.Join(lines[tc.line-1:], "")
		seq, _ := ReadSSHD(strings.NewReader(in), SSHDOptions{Options: Options{Name: "auth.log"}, Year: 2015})
		evs, err := collect(seq)
		if len(evs) != 1 {
			t.Errorf("line %d: %d events before the error, want 1", tc.line, len(evs))
		}
		wantParseError(t, err, tc.line, tc.reason, tc.msg)
	}

	seq, st := ReadSSHD(strings.NewReader(badSSHD), SSHDOptions{Options: Options{Lenient: true}, Year: 2015})
	evs, err := collect(seq)
	if err != nil || len(evs) != 2 || evs[1].Entity != "ok2" || evs[1].Line != 7 {
		t.Fatalf("%v %v", evs, err)
	}
	want := map[Reason]int{ReasonBadIP: 1, ReasonIPv6: 1, ReasonEmptyEntity: 1, ReasonSyntax: 2}
	for r, n := range want {
		if st.Skipped[r] != n {
			t.Errorf("skipped %s = %d, want %d (all %v)", r, st.Skipped[r], n, st.Skipped)
		}
	}
}
