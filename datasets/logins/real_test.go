package logins

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRealOpenSSH reads the Loghub OpenSSH sample (2,000 sshd lines from
// December 2015, https://github.com/logpai/loghub) kept beside the
// repository; it is skipped when the sample is absent.
func TestRealOpenSSH(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "auth", "loghub-openssh", "OpenSSH_2k.log")
	for _, expand := range []bool{false, true} {
		f, err := os.Open(path)
		if err != nil {
			t.Skipf("sample not found: %v", err)
		}
		seq, st := ReadSSHD(f, SSHDOptions{Options: Options{Name: "OpenSSH_2k.log"}, Year: 2015, ExpandRepeats: expand})
		outcomes := map[Outcome]int{}
		invalid := 0
		users, ips := map[string]bool{}, map[string]bool{}
		for ev, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			outcomes[ev.Outcome]++
			if ev.InvalidUser {
				invalid++
			}
			users[ev.Entity] = true
			ips[ev.IP.String()] = true
		}
		f.Close()
		t.Logf("repeats expanded %v: %d lines, %d events (%d accepted, %d failed, %d for invalid users), %d ignored, %d distinct users, %d distinct IPs",
			expand, st.Records, st.Events, outcomes[OutcomeAccepted], outcomes[OutcomeFailed], invalid, st.Ignored, len(users), len(ips))
		wantFailed := 522
		if expand {
			wantFailed += 10 // two "message repeated 5 times" lines
		}
		if st.Records != 2000 || outcomes[OutcomeAccepted] != 1 || outcomes[OutcomeFailed] != wantFailed ||
			invalid != 139 || st.Events+st.Ignored != 2000+8*b2i(expand) || st.TotalSkipped() != 0 {
			t.Errorf("unexpected figures: %+v, outcomes %v, %d invalid", st, outcomes, invalid)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
