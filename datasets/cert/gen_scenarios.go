package cert

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// plan is one planted insider: its scenario, days and malicious rows.
type plan struct {
	scenario    int
	p           *person
	sup         *person      // scenario 3: the supervisor
	first, last int          // first and last day of malicious activity
	acts        map[int]byte // day -> what happens that day (per scenario)
	start, end  time.Time    // first and last malicious row, set while writing
	details     [][]string   // the malicious rows, kind first
}

// Day actions.
const (
	actAfterHours = 'a' // scenario 1: an after-hours session
	actJobSearch  = 'j' // scenario 2: job sites
	actJobEmail   = 'e' // scenario 2: job sites and an e-mail to the competitor
	actTheft      = 't' // scenario 2: thumb-drive theft
	actKeylogger  = 'k' // scenario 3: keylogger download and transfer
	actMassEmail  = 'm' // scenario 3: mass e-mail as the supervisor
)

// scenarioDetails names an insider's details file in the answer key.
const scenarioDetails = "r4.2-%d-%s.csv"

// plant chooses the insiders and their days, and the ordinary leavers.
func (g *gen) plant() error {
	rng, days := g.rng, g.cfg.Days
	var members, admins []*person
	for _, p := range g.people {
		switch p.role {
		case roleAdmin:
			admins = append(admins, p)
		case roleManager, rolePresident:
		default:
			members = append(members, p)
		}
	}
	if len(members) < g.cfg.Scenario1+g.cfg.Scenario2 || len(admins) < g.cfg.Scenario3 {
		return fmt.Errorf("cert: %d ordinary users and %d administrators, too few for %d+%d+%d insiders",
			len(members), len(admins), g.cfg.Scenario1, g.cfg.Scenario2, g.cfg.Scenario3)
	}
	rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	rng.Shuffle(len(admins), func(i, j int) { admins[i], admins[j] = admins[j], admins[i] })
	weekday := func(d int) bool {
		wd := g.cfg.Start.AddDate(0, 0, d).Weekday()
		return wd != time.Saturday && wd != time.Sunday
	}
	next := func(d int) int { // the first weekday on or after d
		for !weekday(d) {
			d++
		}
		return d
	}
	frac := func(f float64) int { return int(f * float64(days)) }
	for range g.cfg.Scenario1 {
		p := members[0]
		members = members[1:]
		p.deviceRate, p.weekendRate = 0, 0
		p.start = min(p.start, 9.5)
		p.length = min(p.length, 18.25-p.start)
		pl := &plan{scenario: 1, p: p, acts: map[int]byte{}}
		s := next(frac(0.4) + rng.IntN(frac(0.2)+1))
		e := min(s+4+rng.IntN(7), days-8)
		var all []int
		for d := s; d <= e; d++ {
			if weekday(d) {
				all = append(all, d)
			}
		}
		for i, d := range all { // the first and last working days and about 60% of the others
			if i == 0 || i == len(all)-1 || rng.Float64() < 0.6 {
				pl.acts[d] = actAfterHours
			}
		}
		g.finish(pl)
	}
	for range g.cfg.Scenario2 {
		p := members[0]
		members = members[1:]
		p.deviceRate = 0.05 + 0.07*rng.Float64()
		pl := &plan{scenario: 2, p: p, acts: map[int]byte{}}
		s := next(frac(0.3) + rng.IntN(frac(0.15)+1))
		e := min(s+20+rng.IntN(22), days-8)
		theft := s + int(0.7*float64(e-s+1))
		var search []int
		for d := s; d <= e; d++ {
			switch {
			case !weekday(d):
			case d >= theft:
				pl.acts[d] = actTheft
			case d == s || rng.Float64() < 0.8:
				pl.acts[d] = actJobSearch
				search = append(search, d)
			}
		}
		for _, k := range rng.Perm(len(search))[:min(len(search), 2+rng.IntN(3))] {
			pl.acts[search[k]] = actJobEmail
		}
		g.finish(pl)
	}
	for range g.cfg.Scenario3 {
		p := admins[0]
		admins = admins[1:]
		pl := &plan{scenario: 3, p: p, sup: g.people[p.sup], acts: map[int]byte{}}
		d0 := next(frac(0.45) + rng.IntN(frac(0.25)+1))
		pl.acts[d0], pl.acts[next(d0+1)] = actKeylogger, actMassEmail
		g.finish(pl)
	}
	n := int(g.cfg.Leavers*float64(len(g.people)) + 0.5)
	for _, p := range members[:min(n, len(members))] {
		p.leave = days/3 + rng.IntN(days-days/3)
	}
	return nil
}

// finish sets the plan's first and last days and the insider's leaving
// day, 1 to 5 days after the last.
func (g *gen) finish(pl *plan) {
	ds := make([]int, 0, len(pl.acts))
	for d := range pl.acts {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	pl.first, pl.last = ds[0], ds[len(ds)-1]
	pl.p.plan = pl
	pl.p.leave = pl.last + 1 + g.rng.IntN(5)
	g.plans = append(g.plans, pl)
}

// forced reports whether the insider comes to work on day d.
func (pl *plan) forced(d int) bool { return d >= pl.first && d <= pl.last }

// day adds the malicious rows of day d.
func (pl *plan) day(g *gen, d int) {
	act, ok := pl.acts[d]
	if !ok {
		return
	}
	rng, p := g.rng, pl.p
	work := func() float64 { return between(rng, p.start+0.5, p.start+p.length-1) }
	switch act {
	case actAfterHours:
		on := 19.5 + 2.5*rng.Float64()
		dur := (15 + 30*rng.Float64()) / 60
		t := g.deviceSession(p.id, p.pc, on+2.0/60, on+10.0/60, dur, 1+rng.IntN(5), pl)
		for range 1 + rng.IntN(3) {
			g.visit(p.id, p.pc, wikileaks, between(rng, t, t+dur), pl)
		}
		g.logon(p.id, p.pc, on, t+dur+(2+8*rng.Float64())/60, pl)
	case actJobSearch, actJobEmail:
		for range 2 + rng.IntN(5) {
			g.visit(p.id, p.pc, pick(rng, jobSites), work(), pl)
		}
		if act == actJobEmail {
			g.add(genEvent{kind: KindEmail, user: p.id, pc: p.pc, from: p.email,
				to:          pick(rng, []string{"recruiting", "jobs", "hr"}) + "@" + competitorDomain,
				attachments: 1, size: g.emailSize(1), content: "application resume position " + g.text(10), plan: pl}, work())
		}
	case actTheft:
		for range 2 + rng.IntN(3) {
			g.deviceSession(p.id, p.pc, p.start+0.5, p.start+p.length-1, (10+50*rng.Float64())/60, 3+rng.IntN(8), pl)
		}
	case actKeylogger:
		h := work()
		g.visit(p.id, p.pc, keyloggerSite, h, pl)
		t := h + (10+50*rng.Float64())/60
		dur := (5 + 10*rng.Float64()) / 60
		g.add(genEvent{kind: KindDevice, user: p.id, pc: p.pc, activity: "Connect", plan: pl}, t)
		g.copyFile(p.id, p.pc, t+dur/2, g.fileName("exe"), pl)
		g.add(genEvent{kind: KindDevice, user: p.id, pc: p.pc, activity: "Disconnect", plan: pl}, t+dur)
		on := 18.5 + 2*rng.Float64()
		t = g.deviceSession(p.id, pl.sup.pc, on+2.0/60, on+5.0/60, (2+6*rng.Float64())/60, 0, pl)
		g.logon(p.id, pl.sup.pc, on, t+0.2, pl)
	case actMassEmail:
		on := 19 + 2.5*rng.Float64()
		var to []string
		for _, k := range rng.Perm(len(g.people))[:min(len(g.people), 40)] {
			if q := g.people[k]; q != pl.sup {
				to = append(to, q.email)
			}
		}
		g.logon(pl.sup.id, p.pc, on, on+(5+10*rng.Float64())/60, pl)
		g.add(genEvent{kind: KindEmail, user: pl.sup.id, pc: p.pc, from: pl.sup.email, to: strings.Join(to, ";"),
			size: g.emailSize(0), content: "urgent layoffs announced, the company is failing " + g.text(8), plan: pl}, on+2.0/60)
	}
}

// insider returns the answer-key row of the plan.
func (pl *plan) insider() Insider {
	return Insider{Release: "4.2", Scenario: pl.scenario, Details: fmt.Sprintf(scenarioDetails, pl.scenario, pl.p.id),
		User: pl.p.id, Start: pl.start, End: pl.end}
}
