package cert

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// readTree returns the files under dir by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateDeterministic(t *testing.T) {
	cfg := GenConfig{Users: 12, Days: 45, HTTPPerDay: 3, EmailsPerDay: 2}
	a, _ := generate(t, cfg, 5)
	b, _ := generate(t, cfg, 5)
	c, _ := generate(t, cfg, 6)
	ta, tb, tc := readTree(t, a), readTree(t, b), readTree(t, c)
	if len(ta) != len(tb) || len(ta) < 5+2+4 {
		t.Fatalf("%d and %d files", len(ta), len(tb))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	if bytes.Equal(ta["logon.csv"], tc["logon.csv"]) {
		t.Error("seeds 5 and 6 give the same logon.csv")
	}
}

func TestGenerateConfig(t *testing.T) {
	r := GenConfig{}.Resolved()
	if r.Users != 200 || r.Days != 120 || r.Scenario1 != 1 || r.Scenario3 != 1 || !r.Start.Equal(time.Date(2010, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("defaults %+v", r)
	}
	if r := (GenConfig{Scenario2: -1, DeviceUsers: -1}).Resolved(); r.Scenario2 != 0 || r.DeviceUsers != 0 {
		t.Errorf("negative means none: %+v", r)
	}
	for _, cfg := range []GenConfig{
		{Users: 5},
		{Users: 20, Days: 30},
		{Users: 12, Scenario1: 3, Scenario2: 2},
	} {
		if _, err := Generate(t.TempDir(), cfg, nil); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	dir, rep := generate(t, GenConfig{Users: 10, Days: 10, Scenario1: -1, Scenario2: -1, Scenario3: -1}, 1)
	if len(rep.Insiders) != 0 || rep.Rows[KindLogon] == 0 {
		t.Errorf("no insiders: %+v", rep)
	}
	if ins, err := ReadInsiders(filepath.Join(dir, "answers", "insiders.csv"), nil); err != nil || len(ins) != 0 {
		t.Errorf("empty answer key: %v %v", ins, err)
	}
}

// byUser reads every event file of dir, grouping the events by user.
func byUser(t *testing.T, dir string) map[string][]Event {
	t.Helper()
	out := map[string][]Event{}
	for _, k := range Kinds() {
		_, err := ReadEvents(filepath.Join(dir, k.FileName()), k, nil, func(ev Event) error {
			out[ev.User] = append(out[ev.User], ev)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func hour(t time.Time) float64 { return float64(t.Hour()) + float64(t.Minute())/60 }

func TestGenerateScenarios(t *testing.T) {
	dir, rep := generate(t, GenConfig{Users: 40, Days: 90, Scenario1: 2, Scenario2: 2, Scenario3: 2}, 3)
	evs := byUser(t, dir)
	snaps, err := ReadLDAP(filepath.Join(dir, "LDAP"), nil)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]Employee{}
	for _, e := range snaps[0].Employees {
		names[e.Name] = e
	}
	if len(rep.Insiders) != 6 {
		t.Fatalf("insiders %+v", rep.Insiders)
	}
	for _, in := range rep.Insiders {
		var before, during, after []Event
		for _, ev := range evs[in.User] {
			switch {
			case ev.Time.Before(in.Start):
				before = append(before, ev)
			case !ev.Time.After(in.End):
				during = append(during, ev)
			default:
				after = append(after, ev)
			}
		}
		if last := slices.MaxFunc(evs[in.User], func(a, b Event) int { return a.Time.Compare(b.Time) }); last.Time.Sub(in.End) > 7*24*time.Hour {
			t.Errorf("insider %s still active at %v, a week after its end %v", in.User, last.Time, in.End)
		}
		count := func(evs []Event, f func(Event) bool) int {
			n := 0
			for _, ev := range evs {
				if f(ev) {
					n++
				}
			}
			return n
		}
		device := func(ev Event) bool { return ev.Kind == KindDevice && ev.Activity == "Connect" }
		switch in.Scenario {
		case 1:
			late := func(ev Event) bool { return hour(ev.Time) >= 19 || hour(ev.Time) < 5 }
			if n := count(before, func(ev Event) bool { return device(ev) || late(ev) }); n != 0 {
				t.Errorf("scenario 1 %s: %d device or after-hours events before the start", in.User, n)
			}
			if count(during, func(ev Event) bool { return device(ev) && late(ev) }) < 2 ||
				count(during, func(ev Event) bool { return ev.Domain == wikileaks }) == 0 {
				t.Errorf("scenario 1 %s: no after-hours drive use and wikileaks uploads", in.User)
			}
		case 2:
			days := func(evs []Event) float64 {
				if len(evs) == 0 {
					return 1
				}
				return evs[len(evs)-1].Time.Sub(evs[0].Time).Hours()/24 + 1
			}
			if count(during, func(ev Event) bool { return slices.Contains(jobSites, ev.Domain) }) < 5 ||
				count(during, func(ev Event) bool { return ev.Kind == KindEmail && ev.External > 0 && ev.Attachments > 0 }) < 2 {
				t.Errorf("scenario 2 %s: no job search", in.User)
			}
			rb := float64(count(before, device)) / days(before)
			rd := float64(count(during, device)) / days(during)
			if rd < 3*rb || rd == 0 {
				t.Errorf("scenario 2 %s: %.2f connects a day during, %.2f before", in.User, rd, rb)
			}
		case 3:
			var admin, sup Employee
			for _, e := range snaps[0].Employees {
				if e.UserID == in.User {
					admin = e
				}
			}
			sup = names[admin.Supervisor]
			if admin.Role != roleAdmin || sup.UserID == "" {
				t.Fatalf("scenario 3 %s: role %q, supervisor %q", in.User, admin.Role, admin.Supervisor)
			}
			mass := false
			for _, ev := range evs[sup.UserID] {
				if ev.Kind == KindEmail && ev.Recipients >= 20 && !ev.Time.Before(in.Start) && !ev.Time.After(in.End) {
					mass = true
				}
			}
			pcs := map[string]int{}
			for _, ev := range evs[in.User] {
				pcs[ev.PC]++
			}
			own := ""
			for pc, n := range pcs {
				if n > pcs[own] {
					own = pc
				}
			}
			onSupPC := count(during, func(ev Event) bool { return ev.Kind == KindDevice && ev.PC != own })
			if !mass || onSupPC == 0 || count(during, func(ev Event) bool { return strings.HasSuffix(ev.Domain, "keylogger-download.com") }) != 1 {
				t.Errorf("scenario 3 %s: mass e-mail %v, drive on another PC %d", in.User, mass, onSupPC)
			}
		}
	}
}

func BenchmarkGenerate200Users120Days(b *testing.B) {
	for range b.N {
		if _, err := Generate(b.TempDir(), GenConfig{}, rand.New(rand.NewPCG(1, 1))); err != nil {
			b.Fatal(err)
		}
	}
}
