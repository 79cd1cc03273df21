package cert

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// genEvent is one generated row before it is written.
type genEvent struct {
	kind              Kind
	sec               int // seconds after midnight
	user, pc          string
	activity          string
	filename          string
	to, cc, bcc, from string
	size, attachments int
	url, content      string
	plan              *plan // the insider whose malicious row this is, or nil
}

// day generates the events of day d into g.buf.
func (g *gen) day(d int) {
	g.buf = g.buf[:0]
	wd := g.cfg.Start.AddDate(0, 0, d).Weekday()
	weekend := wd == time.Saturday || wd == time.Sunday
	for _, p := range g.people {
		if d >= p.leave {
			continue
		}
		rate := 0.95
		if weekend {
			rate = p.weekendRate
		}
		present := g.rng.Float64() < rate
		if p.plan != nil && !weekend && p.plan.forced(d) {
			present = true
		}
		if present {
			g.normalDay(p, weekend)
		}
		if p.plan != nil {
			p.plan.day(g, d)
		}
	}
}

// normalDay generates a person's ordinary activity of one day.
func (g *gen) normalDay(p *person, weekend bool) {
	rng := g.rng
	on := p.start + 0.25*rng.NormFloat64()
	off := p.start + p.length + 0.25*rng.NormFloat64()
	if weekend {
		on = 9 + 5*rng.Float64()
		off = on + 1 + 3*rng.Float64()
	}
	on, off = max(on, 5), min(off, 23.5)
	g.logon(p.id, p.pc, on, off, nil)
	if p.lunchBreaks && !weekend && rng.Float64() < 0.8 {
		out := 12 + 0.5*rng.NormFloat64()
		back := out + 0.5 + 0.5*rng.Float64()
		if on < out && back < off {
			g.add(genEvent{kind: KindLogon, user: p.id, pc: p.pc, activity: "Logoff"}, out)
			g.add(genEvent{kind: KindLogon, user: p.id, pc: p.pc, activity: "Logon"}, back)
		}
	}
	scale := (off - on) / 8.5
	if p.deviceRate > 0 && rng.Float64() < p.deviceRate {
		for range 1 + rng.IntN(2) {
			g.deviceSession(p.id, p.pc, on+0.25, off-0.5, (5+85*rng.Float64())/60, poisson(rng, 1.5), nil)
		}
	}
	for range poisson(rng, p.emailRate*scale) {
		g.email(p, between(rng, on, off))
	}
	for range poisson(rng, p.httpRate*scale) {
		g.visit(p.id, p.pc, p.domains[pickCum(rng, p.domCum)], between(rng, on, off), nil)
	}
	if p.visitsOthers && !weekend && rng.Float64() < 0.2 {
		q := g.people[rng.IntN(len(g.people))]
		t := between(rng, on+0.5, off-1)
		g.logon(p.id, q.pc, t, t+(10+30*rng.Float64())/60, nil)
	}
}

// between draws a time uniformly in [lo, hi], or lo when hi < lo.
func between(rng *rand.Rand, lo, hi float64) float64 {
	if hi <= lo {
		return lo
	}
	return lo + (hi-lo)*rng.Float64()
}

// add appends ev at hour h (clamped to the day).
func (g *gen) add(ev genEvent, h float64) {
	ev.sec = min(max(int(math.Round(h*3600)), 0), 86399)
	g.buf = append(g.buf, ev)
}

// logon adds a Logon at on and a Logoff at off.
func (g *gen) logon(user, pc string, on, off float64, pl *plan) {
	g.add(genEvent{kind: KindLogon, user: user, pc: pc, activity: "Logon", plan: pl}, on)
	g.add(genEvent{kind: KindLogon, user: user, pc: pc, activity: "Logoff", plan: pl}, off)
}

// deviceSession connects a drive at a time drawn in [lo, hi], copies
// files to it and disconnects it after dur hours.
func (g *gen) deviceSession(user, pc string, lo, hi, dur float64, files int, pl *plan) float64 {
	t := between(g.rng, lo, hi)
	g.add(genEvent{kind: KindDevice, user: user, pc: pc, activity: "Connect", plan: pl}, t)
	for range files {
		g.copyFile(user, pc, t+dur*g.rng.Float64(), g.fileName(""), pl)
	}
	g.add(genEvent{kind: KindDevice, user: user, pc: pc, activity: "Disconnect", plan: pl}, t+dur)
	return t
}

func (g *gen) copyFile(user, pc string, h float64, name string, pl *plan) {
	ext := name[strings.LastIndexByte(name, '.')+1:]
	g.add(genEvent{kind: KindFile, user: user, pc: pc, filename: name, content: fileMagic[ext] + " " + g.text(8+g.rng.IntN(12)), plan: pl}, h)
}

// email adds an ordinary e-mail of p.
func (g *gen) email(p *person, h float64) {
	rng := g.rng
	var to []string
	for range 1 + rng.IntN(3) {
		a := g.outsider()
		if rng.Float64() < 0.8 && len(p.contacts) > 0 {
			a = pick(rng, p.contacts)
		}
		if !slices.Contains(to, a) {
			to = append(to, a)
		}
	}
	ev := genEvent{kind: KindEmail, user: p.id, pc: p.pc, from: p.email, to: strings.Join(to, ";")}
	if rng.Float64() < 0.3 && len(p.contacts) > 0 {
		ev.cc = pick(rng, p.contacts)
	}
	if rng.Float64() < 0.05 && len(p.contacts) > 0 {
		ev.bcc = pick(rng, p.contacts)
	}
	if rng.Float64() < 0.25 {
		ev.attachments = 1 + rng.IntN(3)
	}
	ev.size = g.emailSize(ev.attachments)
	ev.content = g.text(10 + rng.IntN(20))
	g.add(ev, h)
}

// emailSize draws a size in bytes: a log-normal body plus log-normal
// attachments.
func (g *gen) emailSize(attachments int) int {
	s := math.Exp(9.5 + 0.7*g.rng.NormFloat64())
	for range attachments {
		s += math.Exp(12 + g.rng.NormFloat64())
	}
	return int(s)
}

// outsider returns an address outside the company.
func (g *gen) outsider() string {
	return pick(g.rng, firstNames) + "." + pick(g.rng, lastNames) + "@" + pick(g.rng, externalDomains)
}

// visit adds a web page visit to domain.
func (g *gen) visit(user, pc, domain string, h float64, pl *plan) {
	url := "http://" + domain + "/" + pick(g.rng, words) + "/" + pick(g.rng, words) + pick(g.rng, []string{".html", ".php", ".htm", ".jsp"})
	g.add(genEvent{kind: KindHTTP, user: user, pc: pc, url: url, content: g.text(5 + g.rng.IntN(10)), plan: pl}, h)
}

var words = []string{"project", "report", "budget", "meeting", "design", "review", "schedule", "customer",
	"contract", "quality", "system", "network", "update", "release", "test", "plan", "market", "product",
	"sales", "support", "travel", "invoice", "policy", "training", "safety", "engine", "circuit", "module",
	"weather", "sports", "news", "music", "recipe", "photo", "video", "forum", "blog", "game", "health", "stock"}

var fileMagic = map[string]string{"doc": "D0-CF-11-E0-A1-B1-1A-E1", "xls": "D0-CF-11-E0-A1-B1-1A-E1", "pdf": "25-50-44-46-2D",
	"txt": "EF-BB-BF", "jpg": "FF-D8", "zip": "50-4B-03-04", "exe": "4D-5A"}

var fileExts = []string{"doc", "doc", "pdf", "txt", "jpg", "zip", "xls"}

// fileName returns a random 8-character file name with extension ext, or
// a random one of fileExts when ext is "".
func (g *gen) fileName(ext string) string {
	if ext == "" {
		ext = pick(g.rng, fileExts)
	}
	var b strings.Builder
	for range 8 {
		b.WriteByte(idChars[g.rng.IntN(len(idChars))])
	}
	return b.String() + "." + ext
}

// text returns n words of free text; some texts hold commas or a quoted
// phrase, so that the writer must quote them.
func (g *gen) text(n int) string {
	var b strings.Builder
	comma := g.rng.Float64() < 0.15
	quote := g.rng.Float64() < 0.03
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		w := pick(g.rng, words)
		if quote && i == n/2 {
			w = `"` + w + `"`
		}
		b.WriteString(w)
		if comma && i == n/3 {
			b.WriteByte(',')
		}
	}
	return b.String()
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
