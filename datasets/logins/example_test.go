package logins_test

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/vigil-ml/vigil/datasets/logins"
)

// Read sshd log lines, keep the successful logins and write them as the
// "entity,IPv4" CSV of IP Insights.
func ExampleReadSSHD() {
	log := `Dec 10 09:32:18 host sshd[1]: Failed password for invalid user admin from 203.0.113.9 port 4000 ssh2
Dec 10 09:32:20 host sshd[2]: Accepted password for alice from 198.51.100.4 port 49116 ssh2
Dec 10 09:32:20 host sshd[2]: pam_unix(sshd:session): session opened for user alice by (uid=0)
`
	events, stats := logins.ReadSSHD(strings.NewReader(log), logins.SSHDOptions{Year: 2024})
	w := logins.NewPairWriter(os.Stdout)
	for ev, err := range events {
		if err != nil {
			fmt.Println(err)
			return
		}
		if ev.Outcome == logins.OutcomeAccepted {
			if err := w.Write(ev); err != nil {
				fmt.Println(err)
				return
			}
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("%d events, %d other lines\n", stats.Events, stats.Ignored)
	// Output:
	// alice,198.51.100.4
	// 2 events, 1 other lines
}

// Lenient reading skips bad records and counts them by reason.
func ExampleReadPairs() {
	in := "alice,10.0.0.1\nbob,10.0.0.300\ncarol,2001:db8::1\n"
	events, stats := logins.ReadPairs(strings.NewReader(in), logins.Options{Lenient: true})
	for ev, err := range events {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.Entity, ev.IP)
	}
	fmt.Println(stats.Skipped[logins.ReasonBadIP], stats.Skipped[logins.ReasonIPv6])

	events, _ = logins.ReadPairs(strings.NewReader(in), logins.Options{Name: "auth.csv"})
	for _, err := range events {
		if err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// alice 10.0.0.1
	// 1 1
	// logins: auth.csv:2: "10.0.0.300" is not an IPv4 address
}

// Generate synthetic logins and plant attacks in 1% of them.
func ExampleSynthesize() {
	d, err := logins.Synthesize(logins.SynthConfig{Users: 200, Seed: 42})
	if err != nil {
		fmt.Println(err)
		return
	}
	labelled, err := logins.InjectAttacks(d.Events(), d.Networks, logins.AttackConfig{Fraction: 0.01, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	attacks := 0
	for _, e := range labelled {
		if e.Attack {
			attacks++
		}
	}
	n, err := logins.WritePairs(new(strings.Builder), slices.Values(d.Events()))
	fmt.Println(n == len(labelled), attacks == (len(labelled)+50)/100, err)
	// Output:
	// true true <nil>
}
