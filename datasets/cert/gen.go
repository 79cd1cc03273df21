package cert

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// GenConfig sizes the output of Generate. A field that is zero takes its
// default; a negative count or share means none. Resolved reports the
// values used.
type GenConfig struct {
	Users int       // employees, default 200; at least 10 and at most 5000
	Days  int       // calendar days from Start, default 120; at least 42 when insiders are planted
	Start time.Time // the first day (its UTC date); 2010-01-02, r4.2's first day, when zero

	// Planted insiders per scenario (see Generate), default 1 each;
	// negative means none. All insiders together may be at most Users/3.
	Scenario1, Scenario2, Scenario3 int

	DeviceUsers  float64 // share of users who use removable drives, default 0.25
	EmailsPerDay float64 // mean e-mails a user sends on a working weekday, default 5
	HTTPPerDay   float64 // mean web visits of a user on a working weekday, default 15
	Leavers      float64 // share of ordinary employees who leave during the period, default 0.02
}

// Resolved returns c with defaults filled in, as Generate uses it.
func (c GenConfig) Resolved() GenConfig {
	count := func(v, def int) int {
		if v == 0 {
			return def
		}
		return max(v, 0)
	}
	share := func(v, def float64) float64 {
		if v == 0 {
			return def
		}
		return max(v, 0)
	}
	c.Users = count(c.Users, 200)
	c.Days = count(c.Days, 120)
	if c.Start.IsZero() {
		c.Start = time.Date(2010, 1, 2, 0, 0, 0, 0, time.UTC)
	}
	y, m, d := c.Start.UTC().Date()
	c.Start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	c.Scenario1 = count(c.Scenario1, 1)
	c.Scenario2 = count(c.Scenario2, 1)
	c.Scenario3 = count(c.Scenario3, 1)
	c.DeviceUsers = min(share(c.DeviceUsers, 0.25), 1)
	c.EmailsPerDay = share(c.EmailsPerDay, 5)
	c.HTTPPerDay = share(c.HTTPPerDay, 15)
	c.Leavers = min(share(c.Leavers, 0.02), 0.5)
	return c
}

func (c GenConfig) validate() error {
	insiders := c.Scenario1 + c.Scenario2 + c.Scenario3
	switch {
	case c.Users < 10 || c.Users > 5000:
		return fmt.Errorf("cert: GenConfig.Users %d outside [10, 5000]", c.Users)
	case c.Days < 1:
		return fmt.Errorf("cert: GenConfig.Days %d, want at least 1", c.Days)
	case insiders > c.Users/3:
		return fmt.Errorf("cert: %d planted insiders, at most Users/3 = %d", insiders, c.Users/3)
	case insiders > 0 && c.Days < minInsiderDays:
		return fmt.Errorf("cert: GenConfig.Days %d too short to plant insiders (at least %d)", c.Days, minInsiderDays)
	}
	return nil
}

const minInsiderDays = 42

// GenReport says what Generate wrote.
type GenReport struct {
	Rows      map[Kind]int // data rows per event file, header excluded
	Malicious map[Kind]int // of those, rows listed in the insiders' details files
	LDAPFiles int          // monthly snapshots written
	Users     []string     // every user id, in LDAP order
	Insiders  []Insider    // the rows of answers/insiders.csv
}

// Generate writes a synthetic release in r4.2's layout to dir (created if
// needed): logon.csv, device.csv, file.csv, email.csv and http.csv, each
// in time order with r4.2's header and date format; LDAP/YYYY-MM.csv, one
// snapshot per month touched; answers/insiders.csv; and for each insider
// answers/r4.2-S/r4.2-S-USER.csv listing its malicious rows, each prefixed
// by its kind (the layout of the real answer key, as far as documented).
//
// Users work on their own PC on weekdays (present with probability 0.95)
// from a habitual start (about N(8:30, 45 min)) for 8 to 9 hours, log on
// and off (a quarter of them also over lunch), send e-mails with sizes and
// attachments to colleagues and outside addresses, and visit a personal
// set of domains; a share of them connect removable drives and copy files
// to them; IT administrators log on to other PCs now and then. Weekends
// are mostly inactive (a tenth of users work some of them, briefly). A few
// ordinary users leave during the period; leavers vanish from the events
// and from the LDAP snapshots of the months after.
//
// Insiders follow the three scenarios of r4.2:
//
//  1. A user who never used removable drives nor worked after hours starts
//     logging on after hours, connecting a drive, copying files and
//     uploading to wikileaks.org, on several days, then leaves.
//  2. A user visits job sites and e-mails a competitor for weeks, then,
//     before leaving, copies files to a thumb drive on every working day
//     at a much higher rate than before.
//  3. A system administrator downloads a keylogger, copies it to a thumb
//     drive, logs on to his supervisor's PC and connects the drive there;
//     the next working day the supervisor's account logs on to the
//     administrator's PC after hours and sends an alarming mass e-mail;
//     the administrator then leaves.
//
// Each insider's start and end are the times of its first and last
// malicious row. The files depend only on cfg and the state of rng; a nil
// rng means a PCG seeded with (0, 0).
func Generate(dir string, cfg GenConfig, rng *rand.Rand) (*GenReport, error) {
	c := cfg.Resolved()
	if err := c.validate(); err != nil {
		return nil, err
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
	}
	for _, sub := range []string{"", "LDAP", "answers"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("cert: %w", err)
		}
	}
	g := &gen{cfg: c, rng: rng}
	g.organise()
	if err := g.plant(); err != nil {
		return nil, err
	}
	rep := &GenReport{Rows: map[Kind]int{}, Malicious: map[Kind]int{}}
	w, err := openEventWriters(dir)
	if err != nil {
		return nil, err
	}
	for d := range c.Days {
		g.day(d)
		if err := w.writeDay(g, d, rep); err != nil {
			w.close()
			return nil, err
		}
	}
	if err := w.close(); err != nil {
		return nil, err
	}
	if rep.LDAPFiles, err = g.writeLDAP(filepath.Join(dir, "LDAP")); err != nil {
		return nil, err
	}
	for _, p := range g.people {
		rep.Users = append(rep.Users, p.id)
	}
	if rep.Insiders, err = g.writeAnswers(filepath.Join(dir, "answers")); err != nil {
		return nil, err
	}
	return rep, nil
}
