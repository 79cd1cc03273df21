package logins

import (
	"fmt"
	"iter"
	"os"
	"path/filepath"

	ds "github.com/vigil-ml/vigil/datasets/logins"
)

// source is the events read or generated, with what the reader counted.
type source struct {
	events []ds.Event
	// nets is the synthetic network table; nil for a file.
	nets []ds.Network
	// stats are the reader's counts (synthetic data: records = events).
	stats ds.Stats
	// notAccepted counts the failed sshd logins left out (sshd.accepted_only).
	notAccepted int
	note        string
}

// readSource reads data.path or generates the synthetic logins.
func readSource(d DataConfig, seed uint64) (*source, error) {
	if d.Kind == "synthetic" {
		return synthesize(d.Synthetic, seed)
	}
	f, err := os.Open(d.Path)
	if err != nil {
		return nil, fmt.Errorf("data.path: %w", err)
	}
	defer f.Close()
	opt := ds.Options{Name: filepath.Base(d.Path), Lenient: d.Lenient}
	var seq iter.Seq2[ds.Event, error]
	var st *ds.Stats
	s := &source{}
	switch d.Kind {
	case "pairs":
		seq, st = ds.ReadPairs(f, opt)
		s.note = "Headerless \"entity,IPv4\" pairs."
	case "csv":
		c := d.CSV
		seq, st = ds.ReadCSV(f, ds.CSVOptions{Options: opt, EntityColumn: c.EntityColumn, IPColumn: c.IPColumn,
			TimeColumn: c.TimeColumn, TimeLayout: c.TimeLayout})
		s.note = "CSV logins."
	case "sshd":
		seq, st = ds.ReadSSHD(f, ds.SSHDOptions{Options: opt, Year: d.SSHD.Year, ExpandRepeats: d.SSHD.ExpandRepeats})
		s.note = "OpenSSH sshd logins (accepted and failed attempts)."
		if d.SSHD.AcceptedOnly {
			s.note = "OpenSSH sshd logins (accepted only)."
		}
	default:
		return nil, fmt.Errorf("data.kind %q", d.Kind)
	}
	for ev, err := range seq {
		if err != nil {
			return nil, err
		}
		if d.Kind == "sshd" && d.SSHD.AcceptedOnly && ev.Outcome != ds.OutcomeAccepted {
			s.notAccepted++
			continue
		}
		s.events = append(s.events, ev)
	}
	s.stats = *st
	if len(s.events) == 0 {
		return nil, fmt.Errorf("data: %s has no login events (%d records, %d ignored, %d skipped)", d.Path, st.Records, st.Ignored, st.TotalSkipped())
	}
	return s, nil
}

// synthesize generates logins with the notebook's generator.
func synthesize(c SyntheticConfig, seed uint64) (*source, error) {
	if c.Seed != 0 {
		seed = c.Seed
	}
	d, err := ds.Synthesize(ds.SynthConfig{Users: c.Users, Networks: c.Networks, ISPShare: c.ISPShare, Days: c.Days,
		LoginScale: c.LoginScale, LoginShape: c.LoginShape, MaxLogins: c.MaxLogins, Seed: seed})
	if err != nil {
		return nil, fmt.Errorf("data.synthetic: %w", err)
	}
	ev := d.Events()
	return &source{events: ev, nets: d.Networks, stats: ds.Stats{Records: len(ev), Events: len(ev)},
		note: fmt.Sprintf("Synthetic logins after the IP Insights example: %d users, each with a home ISP and a work company among %d networks, travelling now and then, over %d days.", c.Users, c.Networks, c.Days)}, nil
}
