package logins

import (
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ds "github.com/vigil-ml/vigil/datasets/logins"
	"github.com/vigil-ml/vigil/models"
)

func TestLoadSynthetic(t *testing.T) {
	d, err := load(t, 7, smallSynthetic)
	if err != nil {
		t.Fatal(err)
	}
	sp := d.sp
	boundary := time.Date(2018, 11, 11, 0, 0, 0, 0, time.UTC)
	if !sp.byTime || !sp.boundary.Equal(boundary) {
		t.Fatalf("split by time %v at %v, want %v", sp.byTime, sp.boundary, boundary)
	}
	after := 0
	for _, e := range d.src.events {
		if !e.Time.Before(boundary) {
			after++
		}
	}
	for _, e := range sp.period {
		if !e.Time.Before(boundary) {
			t.Fatalf("training event at %v", e.Time)
		}
	}
	if len(sp.period)+after != len(d.src.events) || len(sp.test)+sp.unknown != after {
		t.Errorf("%d events: %d training period, %d after the boundary, %d tested, %d unknown", len(d.src.events), len(sp.period), after, len(sp.test), sp.unknown)
	}
	if want := int(math.Round(0.1 * float64(len(sp.period)))); len(sp.val) != want || len(sp.train)+len(sp.val) != len(sp.period) {
		t.Errorf("%d validation and %d training of %d, want %d validation", len(sp.val), len(sp.train), len(sp.period), want)
	}
	if slices.ContainsFunc(sp.val, func(i int) bool { _, found := slices.BinarySearch(sp.train, i); return found }) {
		t.Error("validation overlaps training")
	}
	trained := map[string]bool{}
	for _, i := range sp.train {
		trained[sp.period[i].Entity] = true
	}
	for _, e := range sp.test {
		if !e.Time.After(boundary) && !e.Time.Equal(boundary) || !trained[e.Entity] {
			t.Fatalf("test event %+v", e)
		}
	}

	u, err := d.Unit(0)
	if err != nil {
		t.Fatal(err)
	}
	if u.Pool.N != len(sp.period) || !slices.Equal(u.Train, sp.train) || !slices.Equal(u.Val, sp.val) {
		t.Errorf("pool %d, train %d, val %d", u.Pool.N, len(u.Train), len(u.Val))
	}
	var names []string
	for _, s := range u.Sets {
		names = append(names, s.Name)
		if err := s.Examples.Check(); err != nil {
			t.Error(err)
		}
		if err := s.Examples.Matches(d.Input()); err != nil {
			t.Error(err)
		}
	}
	if want := []string{"validation", "discriminator", "attacks_1pct", "attacks_50pct"}; !slices.Equal(names, want) {
		t.Fatalf("sets %v, want %v", names, want)
	}
	checkFeatures(t, u.Pool, sp.period)
	if u.Sets[0].Examples.N != u.Pool.N || !slices.Equal(u.Sets[0].Idx, sp.val) {
		t.Error("validation set is not the pool's validation indices")
	}
	disc := u.Sets[1].Examples
	if disc.N != len(sp.val) {
		t.Fatalf("%d discriminator examples for %d validation events", disc.N, len(sp.val))
	}
	same := 0
	for j, i := range sp.val {
		if disc.IntAt(j)[0] != u.Pool.IntAt(i)[0] {
			t.Fatalf("discriminator example %d has another entity", j)
		}
		if disc.IntAt(j)[1] == u.Pool.IntAt(i)[1] {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d discriminator addresses equal the validation ones", same)
	}
	for k, rate := range []float64{0.01, 0.5} {
		ts := d.sets[k]
		checkAttacks(t, ts, sp.test, d.trainEvents(), d.nets, rate)
		checkFeatures(t, u.Sets[2+k].Examples, plain(ts.events))
	}

	again, err := load(t, 7, smallSynthetic)
	if err != nil {
		t.Fatal(err)
	}
	other, err := load(t, 8, smallSynthetic)
	if err != nil {
		t.Fatal(err)
	}
	for k := range u.Sets {
		if !slices.Equal(again.unit.Sets[k].Examples.Int, u.Sets[k].Examples.Int) {
			t.Errorf("set %s differs with the same seed", u.Sets[k].Name)
		}
		if slices.Equal(other.unit.Sets[k].Examples.Int, u.Sets[k].Examples.Int) {
			t.Errorf("set %s is the same with another seed", u.Sets[k].Name)
		}
	}
}

// checkAttacks checks an attack set against the test events: round(rate·n)
// attacks, each the same entity and time from a network the entity uses
// neither in the test events nor in training, the other events unchanged.
func checkAttacks(t *testing.T, ts testSet, test, train []ds.Event, nets []ds.Network, rate float64) {
	t.Helper()
	netOf := func(a netip.Addr) int {
		return slices.IndexFunc(nets, func(n ds.Network) bool { return n.Prefix.Contains(a) })
	}
	used := map[string]map[int]bool{}
	for _, e := range append(slices.Clip(test), train...) {
		if used[e.Entity] == nil {
			used[e.Entity] = map[int]bool{}
		}
		used[e.Entity][netOf(e.IP)] = true
	}
	if len(ts.events) != len(test) {
		t.Fatalf("%s: %d events for %d test events", ts.name, len(ts.events), len(test))
	}
	attacks := 0
	for i, e := range ts.events {
		if !e.Attack {
			if e.Event != test[i] {
				t.Fatalf("%s: normal event %d changed", ts.name, i)
			}
			continue
		}
		attacks++
		n := netOf(e.IP)
		if e.Entity != test[i].Entity || !e.Time.Equal(test[i].Time) || n < 0 || used[e.Entity][n] {
			t.Fatalf("%s: attack %d %+v (network %d) replaces %+v", ts.name, i, e, n, test[i])
		}
	}
	if want := int(math.Round(rate * float64(len(test)))); attacks != want || ts.attacks != want {
		t.Errorf("%s: %d attacks (counted %d), want round(%v·%d) = %d", ts.name, attacks, ts.attacks, rate, len(test), want)
	}
}

// checkFeatures checks that examples are the events' PairFeatures.
func checkFeatures(t *testing.T, ex models.Examples, events []ds.Event) {
	t.Helper()
	if ex.N != len(events) {
		t.Fatalf("%d examples for %d events", ex.N, len(events))
	}
	for i, e := range events {
		f, _ := ds.PairFeatures(e.Entity, e.IP)
		if !slices.Equal(ex.IntAt(i), f[:]) {
			t.Fatalf("example %d is %v, want %v", i, ex.IntAt(i), f)
		}
	}
}

func plain(events []ds.LabelledEvent) []ds.Event {
	out := make([]ds.Event, len(events))
	for i, e := range events {
		out[i] = e.Event
	}
	return out
}

func TestLoadMaxEvents(t *testing.T) {
	d, err := load(t, 3, func(c *Config) { smallSynthetic(c); c.Data.MaxEvents = 500 })
	if err != nil {
		t.Fatal(err)
	}
	if d.sp.sampled != 500 || len(d.sp.period)+len(d.sp.test)+d.sp.unknown != 500 {
		t.Errorf("sampled %d: %d + %d + %d", d.sp.sampled, len(d.sp.period), len(d.sp.test), d.sp.unknown)
	}
	if !slices.IsSortedFunc(d.sp.period, func(a, b ds.Event) int { return a.Time.Compare(b.Time) }) {
		t.Error("sample out of order")
	}
}

// sshdLog has logins over ten days of December 2015; line 12 has a bad
// address, line 2 is no login.
const sshdLog = `Dec  1 08:00:00 host sshd[1]: Accepted password for alice from 198.51.100.4 port 5000 ssh2
Dec  1 08:00:01 host sshd[1]: pam_unix(sshd:session): session opened for user alice by (uid=0)
Dec  1 09:00:00 host sshd[2]: Accepted publickey for bob from 203.0.113.7 port 5001 ssh2
Dec  2 08:00:00 host sshd[3]: Accepted password for alice from 198.51.100.4 port 5002 ssh2
Dec  3 09:00:00 host sshd[4]: Failed password for bob from 203.0.113.7 port 5003 ssh2
Dec  4 08:00:00 host sshd[5]: Accepted password for alice from 198.51.100.9 port 5004 ssh2
Dec  5 09:00:00 host sshd[6]: Accepted publickey for bob from 203.0.113.7 port 5005 ssh2
Dec  6 08:00:00 host sshd[7]: Accepted password for alice from 198.51.100.4 port 5006 ssh2
Dec  7 23:59:59 host sshd[8]: Accepted publickey for bob from 203.0.113.8 port 5007 ssh2
Dec  8 00:00:00 host sshd[9]: Accepted password for alice from 198.51.100.4 port 5008 ssh2
Dec  9 09:00:00 host sshd[10]: Failed password for invalid user mallory from 192.0.2.66 port 5009 ssh2
Dec  9 10:00:00 host sshd[11]: Accepted publickey for bob from 203.0.113.999 port 5010 ssh2
Dec 10 09:00:00 host sshd[12]: Accepted publickey for bob from 203.0.113.7 port 5011 ssh2
`

func sshdConfig(path string, lenient bool) func(*Config) {
	return func(c *Config) {
		c.Data.Kind, c.Data.Path, c.Data.Lenient = "sshd", path, lenient
		c.Data.SSHD.Year = 2015
		c.Eval.AttackRates = []float64{0.5}
	}
}

func TestLoadSSHD(t *testing.T) {
	path := writeFile(t, "auth.log", sshdLog)
	_, err := load(t, 1, sshdConfig(path, false))
	if err == nil || !strings.Contains(err.Error(), "auth.log:12:") || !strings.Contains(err.Error(), "203.0.113.999") {
		t.Fatalf("strict: error %v, want one naming auth.log:12", err)
	}
	d, err := load(t, 1, sshdConfig(path, true))
	if err != nil {
		t.Fatal(err)
	}
	st := d.src.stats
	if st.Records != 13 || st.Ignored != 1 || st.Skipped[ds.ReasonBadIP] != 1 || st.TotalSkipped() != 1 || len(d.src.events) != 11 {
		t.Errorf("stats %+v, %d events", st, len(d.src.events))
	}
	sp := d.sp
	if !sp.byTime || !sp.boundary.Equal(time.Date(2015, 12, 8, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("boundary %v", sp.boundary)
	}
	// Dec 1-7: 8 events; Dec 8-10: alice, mallory (unknown), bob.
	if len(sp.period) != 8 || len(sp.val) != 1 || len(sp.test) != 2 || sp.unknown != 1 {
		t.Errorf("%d training period (%d validation), %d test, %d unknown", len(sp.period), len(sp.val), len(sp.test), sp.unknown)
	}
	if len(d.sets) != 1 || d.sets[0].attacks != 1 {
		t.Errorf("attack sets %+v", d.sets)
	}
	if d.observed != 3 || len(d.nets) != minNetworks {
		t.Errorf("%d networks, %d observed; want %d and 3 (198.51, 203.0, 192.0)", len(d.nets), d.observed, minNetworks)
	}
	s := d.summary()
	if s.Skipped["bad-ip"] != 1 || s.Records != 13 || s.Events != 11 || s.Entities != 3 || s.Split != "time" {
		t.Errorf("summary %+v", s)
	}

	d, err = load(t, 1, func(c *Config) { sshdConfig(path, true)(c); c.Data.SSHD.AcceptedOnly = true })
	if err != nil {
		t.Fatal(err)
	}
	if d.src.notAccepted != 2 || len(d.src.events) != 9 {
		t.Errorf("accepted only: %d left out, %d events", d.src.notAccepted, len(d.src.events))
	}
}

// pairsFile is headerless pairs in login order: 12 training-period
// pairs, each thrice, then 5 later ones; line 14 is malformed.
const pairsFile = `alice,198.51.100.1
bob,203.0.113.7
carol,192.0.2.9
dave,100.1.2.3
alice,198.51.100.1
bob,203.0.113.7
carol,192.0.2.9
dave,100.1.2.3
alice,198.51.100.1
bob,203.0.113.7
carol,192.0.2.9
dave,100.1.2.3
alice,198.51.100.1
carol
bob,203.0.113.7
eve,198.18.0.1
carol,192.0.2.9
dave,100.1.2.3
`

func pairsConfig(path string, lenient bool) func(*Config) {
	return func(c *Config) {
		c.Data.Kind, c.Data.Path, c.Data.Lenient = "pairs", path, lenient
		c.Data.TrainFraction = 12.0 / 17
		c.Eval.AttackRates = []float64{0.5}
		c.Eval.DetectionRates = []float64{1, 0.5}
	}
}

func TestLoadPairs(t *testing.T) {
	path := writeFile(t, "pairs.csv", pairsFile)
	_, err := load(t, 1, pairsConfig(path, false))
	if err == nil || !strings.Contains(err.Error(), "pairs.csv:14:") {
		t.Fatalf("strict: error %v, want one naming pairs.csv:14", err)
	}
	d, err := load(t, 1, pairsConfig(path, true))
	if err != nil {
		t.Fatal(err)
	}
	if n := d.src.stats.Skipped[ds.ReasonFields]; n != 1 || len(d.src.events) != 17 {
		t.Errorf("%d skipped for field count, %d events", n, len(d.src.events))
	}
	sp := d.sp
	if sp.byTime || len(sp.period) != 12 || len(sp.val) != 1 || len(sp.test) != 4 || sp.unknown != 1 {
		t.Errorf("order split: %d training period, %d validation, %d test, %d unknown", len(sp.period), len(sp.val), len(sp.test), sp.unknown)
	}
	if d.sets[0].attacks != 2 || d.sets[0].redrawn != 0 {
		t.Errorf("%d attacks, %d redrawn", d.sets[0].attacks, d.sets[0].redrawn)
	}
	d, err = load(t, 1, func(c *Config) { pairsConfig(path, true)(c); c.Eval.KnownEntitiesOnly = false })
	if err != nil {
		t.Fatal(err)
	}
	if len(d.sp.test) != 5 || d.sp.unknown != 0 {
		t.Errorf("all entities: %d test, %d unknown", len(d.sp.test), d.sp.unknown)
	}
}

func TestLoadCSV(t *testing.T) {
	var b strings.Builder
	b.WriteString("when,user,addr\n")
	start := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC).Unix()
	for day := range 10 {
		for _, u := range []string{"ann,198.51.100.1", "ben,203.0.113.2"} {
			b.WriteString(strconv.FormatInt(start+int64(day)*86400, 10) + "," + u + "\n")
		}
	}
	path := writeFile(t, "logins.csv", b.String())
	d, err := load(t, 1, func(c *Config) {
		c.Data.Kind, c.Data.Path = "csv", path
		c.Data.CSV = CSVConfig{EntityColumn: "user", IPColumn: "addr", TimeColumn: "when", TimeLayout: "unix"}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !d.sp.byTime || len(d.sp.period) != 14 || len(d.sp.test) != 6 {
		t.Errorf("by time %v: %d training period, %d test", d.sp.byTime, len(d.sp.period), len(d.sp.test))
	}
}
