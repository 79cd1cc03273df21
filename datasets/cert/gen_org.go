package cert

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// gen holds the state of one Generate run.
type gen struct {
	cfg     GenConfig
	rng     *rand.Rand
	people  []*person
	plans   []*plan
	domains []string  // the shared pool of ordinary web domains
	domCum  []float64 // cumulative popularity of domains
	buf     []genEvent
}

// person is one generated employee with its habits.
type person struct {
	idx                       int
	id, name, email, role     string
	unit, dept, team          string
	sup                       int // index of the supervisor, -1 at the top
	pc                        string
	start, length             float64 // working day: start hour and hours
	weekendRate, deviceRate   float64 // chance of working a weekend day, of using a drive on a working day
	emailRate, httpRate       float64 // mean e-mails and visits on a full working day
	domains                   []string
	domCum                    []float64
	contacts                  []string // e-mail addresses the person writes to
	leave                     int      // first day no longer employed; cfg.Days if never
	plan                      *plan    // nil for ordinary employees
	lunchBreaks, visitsOthers bool
}

const (
	roleAdmin     = "ITAdmin"
	roleManager   = "Manager"
	rolePresident = "President"
	companyDomain = "dtaa.com" // the fictitious company of the CERT datasets
)

var (
	firstNames = []string{"Aaron", "Abigail", "Adam", "Alice", "Amos", "Bella", "Boris", "Brenda", "Calvin", "Carla",
		"Damon", "Delia", "Edgar", "Elena", "Felix", "Fiona", "Gavin", "Grace", "Hector", "Helen", "Ian", "Irene",
		"Jasper", "Julia", "Kevin", "Kyla", "Louis", "Lydia", "Marcus", "Maya", "Nolan", "Nora", "Oscar", "Olive",
		"Paul", "Piper", "Quentin", "Rachel", "Simon", "Sofia", "Tobias", "Tara", "Ulric", "Vera", "Wade", "Wendy",
		"Xavier", "Yara", "Zane", "Zoe"}
	lastNames = []string{"Abbott", "Barker", "Castillo", "Dalton", "Ellison", "Fletcher", "Garrison", "Hale", "Ingram",
		"Jennings", "Keller", "Lambert", "Mercer", "Norris", "Oakley", "Pruitt", "Quinlan", "Reyes", "Sawyer", "Tate",
		"Underwood", "Vaughn", "Whitaker", "Xiong", "Yates", "Zamora", "Baxter", "Conley", "Drake", "Emerson"}
	memberRoles = []string{"Salesman", "ComputerProgrammer", "ElectricalEngineer", "MechanicalEngineer",
		"SoftwareEngineer", "Technician", "AdministrativeStaff", "Scientist", "Accountant", "FieldServiceEngineer"}
	units = []string{"1 - Administration", "2 - ResearchAndEngineering", "3 - Manufacturing",
		"4 - SalesAndMarketing", "5 - Finance", "6 - Purchasing"}
	departments = []string{"Engineering", "Software", "Sales", "Marketing", "Production", "Quality",
		"Accounting", "Procurement", "Research", "Services"}
	externalDomains = []string{"gmail.com", "yahoo.com", "aol.com", "hotmail.com", "comcast.net", "msn.com", "verizon.net", "cox.net"}
	jobSites        = []string{"careerbuilder.com", "monster.com", "indeed.com", "simplyhired.com", "jobhuntersbible.com", "linkedin.com"}
	syllables       = []string{"ar", "bel", "cor", "dan", "el", "fin", "gor", "hal", "in", "jo", "kal", "lin", "mor",
		"nex", "or", "pax", "quo", "ral", "sil", "tor", "ul", "ven", "wex", "yel", "zor", "net", "web", "hub", "zone", "ly"}
	tlds = []string{"com", "com", "com", "net", "org", "edu", "info"}
)

const (
	wikileaks        = "wikileaks.org"
	competitorDomain = "harbinger-systems.com" // fictitious
	keyloggerSite    = "www.keylogger-download.com"
)

// organise creates the employees: a president, an IT team of
// administrators under a manager, and teams of 6 to 12 under managers.
func (g *gen) organise() {
	rng, n := g.rng, g.cfg.Users
	g.makeDomains()
	nAdmin := max(int(math.Ceil(0.05*float64(n))), g.cfg.Scenario3, 1)
	ids, emails := map[string]bool{}, map[string]bool{}
	pcs := map[int]bool{}
	team, lead := 0, 0
	for i := range n {
		p := &person{idx: i, sup: -1, leave: g.cfg.Days}
		first, middle, last := pick(rng, firstNames), pick(rng, firstNames), pick(rng, lastNames)
		p.name = first + " " + middle + " " + last
		for p.id == "" || ids[p.id] {
			p.id = fmt.Sprintf("%c%c%c%04d", first[0], middle[0], last[0], rng.IntN(10000))
		}
		ids[p.id] = true
		p.email = fmt.Sprintf("%s.%s.%s@%s", first, middle, last, companyDomain)
		if emails[p.email] {
			p.email = fmt.Sprintf("%s.%s.%s%s@%s", first, middle, last, p.id[3:], companyDomain)
		}
		emails[p.email] = true
		k := 1000 + rng.IntN(9000)
		for pcs[k] {
			k = 1000 + rng.IntN(9000)
		}
		pcs[k] = true
		p.pc = fmt.Sprintf("PC-%04d", k)
		switch {
		case i == 0:
			p.role, p.unit, p.dept, p.team = rolePresident, units[0], "1 - Executive", ""
		case i == 1: // the IT manager
			team, lead = 1, 1
			p.role, p.unit, p.dept, p.team, p.sup = roleManager, units[0], "2 - InformationTechnology", "1 - IT", 0
		case i <= 1+nAdmin:
			p.role, p.unit, p.dept, p.team, p.sup = roleAdmin, units[0], "2 - InformationTechnology", "1 - IT", 1
		default:
			if i == 2+nAdmin || i-lead >= 6+rng.IntN(7) { // a new team
				team, lead = team+1, i
				p.role, p.sup = roleManager, 0
			} else {
				p.role, p.sup = pick(rng, memberRoles), lead
			}
			p.unit = units[1+team%(len(units)-1)]
			p.dept = fmt.Sprintf("%d - %s", 3+team%len(departments), departments[team%len(departments)])
			p.team = fmt.Sprintf("%d - %s", team, strings.ToUpper(departments[team%len(departments)][:3]))
		}
		g.habits(p)
		g.people = append(g.people, p)
	}
	for _, p := range g.people {
		g.contacts(p)
	}
}

// habits draws a person's working hours and activity rates.
func (g *gen) habits(p *person) {
	rng := g.rng
	p.start = min(max(8.5+0.75*rng.NormFloat64(), 6), 11)
	p.length = 8 + rng.Float64()
	p.weekendRate = 0.01
	if rng.Float64() < 0.1 {
		p.weekendRate = 0.15
	}
	if rng.Float64() < g.cfg.DeviceUsers {
		p.deviceRate = 0.2 + 0.4*rng.Float64()
	}
	p.emailRate = g.cfg.EmailsPerDay * (0.5 + rng.Float64())
	p.httpRate = g.cfg.HTTPPerDay * (0.5 + rng.Float64())
	p.lunchBreaks = rng.Float64() < 0.25
	p.visitsOthers = p.role == roleAdmin
	nd := 6 + rng.IntN(11)
	for range nd {
		d := g.domains[pickCum(rng, g.domCum)]
		if !slices.Contains(p.domains, d) {
			p.domains = append(p.domains, d)
		}
	}
	weights := make([]float64, len(p.domains))
	for i := range weights {
		weights[i] = rng.ExpFloat64()
	}
	if rng.Float64() < 0.05 { // some ordinary users visit a job site now and then
		p.domains = append(p.domains, pick(rng, jobSites))
		weights = append(weights, 0.05)
	}
	p.domCum = cumulative(weights)
}

// contacts lists the addresses a person writes to: the team, the
// supervisor and a few others.
func (g *gen) contacts(p *person) {
	for _, q := range g.people {
		if q != p && (q.team == p.team && q.team != "" || q.idx == p.sup || q.sup == p.idx) {
			p.contacts = append(p.contacts, q.email)
		}
	}
	for range 3 {
		if q := g.people[g.rng.IntN(len(g.people))]; q != p {
			p.contacts = append(p.contacts, q.email)
		}
	}
}

// makeDomains builds the pool of ordinary domains with Zipf popularity.
func (g *gen) makeDomains() {
	seen := map[string]bool{}
	var w []float64
	for len(g.domains) < 150 {
		var b strings.Builder
		for range 2 + g.rng.IntN(2) {
			b.WriteString(pick(g.rng, syllables))
		}
		d := b.String() + "." + pick(g.rng, tlds)
		if g.rng.Float64() < 0.3 {
			d = "www." + d
		}
		if seen[d] {
			continue
		}
		seen[d] = true
		g.domains = append(g.domains, d)
		w = append(w, 1/float64(len(g.domains)))
	}
	g.domCum = cumulative(w)
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// cumulative returns the running sums of w.
func cumulative(w []float64) []float64 {
	c := make([]float64, len(w))
	s := 0.0
	for i, v := range w {
		s += v
		c[i] = s
	}
	return c
}

// pickCum draws an index with probability proportional to its weight.
func pickCum(rng *rand.Rand, cum []float64) int {
	i, _ := slices.BinarySearch(cum, rng.Float64()*cum[len(cum)-1])
	return min(i, len(cum)-1)
}

// poisson draws a Poisson variate of mean lambda.
func poisson(rng *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, rng.Float64()
	for p > l {
		k++
		p *= rng.Float64()
	}
	return k
}
