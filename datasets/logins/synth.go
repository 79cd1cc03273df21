package logins

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// SynthConfig configures Synthesize. Zero fields take the defaults in
// brackets, which follow the IP Insights example of SageMaker.
type SynthConfig struct {
	Users    int     // users [1000]
	Networks int     // networks in the table, at most 20000 [2000]
	ISPShare float64 // share of the networks that are ISPs, the rest companies [0.5]
	MinBits  int     // shortest prefix length of a network [16]
	MaxBits  int     // longest prefix length of a network [24]
	// NetworkWeightShape is the Pareto shape of the network weights [1.5].
	NetworkWeightShape float64

	LoginScale float64 // minimum logins of a user: the Pareto scale [50]
	LoginShape float64 // Pareto shape of the logins per user [1]
	MaxLogins  int     // cap on the logins of a user [10000]

	HomeAlpha, HomeBeta     float64 // Beta prior of P(home | not travelling) [3, 5]
	TravelAlpha, TravelBeta float64 // Beta prior of P(travelling) [1, 30]

	Start time.Time // start of the time window [2018-11-04 00:00 UTC]
	Days  int       // length of the time window in days [10]
	Seed  uint64    // seed of the generator; equal seeds give equal data
}

func (c SynthConfig) withDefaults() SynthConfig {
	setInt := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	setF := func(p *float64, v float64) {
		if *p == 0 {
			*p = v
		}
	}
	setInt(&c.Users, 1000)
	setInt(&c.Networks, 2000)
	setF(&c.ISPShare, 0.5)
	setInt(&c.MinBits, 16)
	setInt(&c.MaxBits, 24)
	setF(&c.NetworkWeightShape, 1.5)
	setF(&c.LoginScale, 50)
	setF(&c.LoginShape, 1)
	setInt(&c.MaxLogins, 10000)
	setF(&c.HomeAlpha, 3)
	setF(&c.HomeBeta, 5)
	setF(&c.TravelAlpha, 1)
	setF(&c.TravelBeta, 30)
	setInt(&c.Days, 10)
	if c.Start.IsZero() {
		c.Start = time.Date(2018, 11, 4, 0, 0, 0, 0, time.UTC)
	}
	return c
}

func (c SynthConfig) validate() error {
	nISP := c.ispCount()
	switch {
	case c.Users < 0:
		return fmt.Errorf("logins: %d users", c.Users)
	case c.Networks < 3 || c.Networks > maxNetworks:
		return fmt.Errorf("logins: %d networks, want 3..%d", c.Networks, maxNetworks)
	case c.ISPShare <= 0 || c.ISPShare >= 1 || nISP < 1 || nISP >= c.Networks:
		return fmt.Errorf("logins: ISP share %v leaves no ISP or no company among %d networks", c.ISPShare, c.Networks)
	case c.MinBits < 16 || c.MaxBits > 32 || c.MinBits > c.MaxBits:
		return fmt.Errorf("logins: prefix lengths %d..%d, want within 16..32", c.MinBits, c.MaxBits)
	case c.LoginScale < 1 || c.LoginShape <= 0 || c.MaxLogins < 1 || c.NetworkWeightShape <= 0:
		return fmt.Errorf("logins: login count parameters scale %v shape %v max %d", c.LoginScale, c.LoginShape, c.MaxLogins)
	case c.HomeAlpha <= 0 || c.HomeBeta <= 0 || c.TravelAlpha <= 0 || c.TravelBeta <= 0:
		return fmt.Errorf("logins: Beta parameters must be positive")
	case c.Days < 1:
		return fmt.Errorf("logins: %d days", c.Days)
	}
	return nil
}

func (c SynthConfig) ispCount() int { return int(math.Round(c.ISPShare * float64(c.Networks))) }

// Place is where a synthetic login comes from.
type Place uint8

// Places of a login.
const (
	PlaceHome   Place = iota // the user's home network
	PlaceWork                // the user's work network
	PlaceTravel              // another network, the user travelling
)

func (p Place) String() string {
	switch p {
	case PlaceHome:
		return "home"
	case PlaceWork:
		return "work"
	default:
		return "travel"
	}
}

// User is a synthetic user's profile.
type User struct {
	Name    string
	Home    int     // index of the home network (an ISP)
	Work    int     // index of the work network (a company)
	PHome   float64 // probability of home rather than work when not travelling
	PTravel float64 // probability of travelling
	Logins  int
}

// Login is a synthetic login with where it came from.
type Login struct {
	Event
	User    int // index into Dataset.Users
	Network int // index into Dataset.Networks
	Place   Place
}

// Dataset is a synthetic network table, its users and their logins in time
// order.
type Dataset struct {
	Networks []Network // sorted by address, disjoint
	Users    []User
	Logins   []Login
}

// Events returns the logins as plain events.
func (d *Dataset) Events() []Event {
	out := make([]Event, len(d.Logins))
	for i, l := range d.Logins {
		out[i] = l.Event
	}
	return out
}

// Synthesize generates logins as in the IP Insights example of SageMaker:
// each user has a home ISP and a work company, drawn by network weight, a
// Pareto-distributed number of logins, and Beta-distributed probabilities
// of travelling (a login from a uniformly drawn network other than home
// and work) and of being at home rather than at work. Addresses are
// uniform inside the chosen network, times uniform over the window.
func Synthesize(cfg SynthConfig) (*Dataset, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6c6f67696e73))
	nets := synthNetworks(rng, cfg.Networks, cfg.ispCount(), cfg.MinBits, cfg.MaxBits, cfg.NetworkWeightShape)
	weight := func(i int) float64 { return nets[i].Weight }
	isps := newWeighted(byKind(nets, ISP), weight)
	firms := newWeighted(byKind(nets, Company), weight)
	window := int64(cfg.Days) * 86400

	d := &Dataset{Networks: nets, Users: make([]User, cfg.Users)}
	for u := range d.Users {
		n := int(paretoDraw(rng, cfg.LoginScale, cfg.LoginShape))
		usr := User{
			Name:    fmt.Sprintf("user_%d", u),
			Home:    isps.draw(rng),
			Work:    firms.draw(rng),
			Logins:  min(n, cfg.MaxLogins),
			PTravel: betaDraw(rng, cfg.TravelAlpha, cfg.TravelBeta),
			PHome:   betaDraw(rng, cfg.HomeAlpha, cfg.HomeBeta),
		}
		d.Users[u] = usr
		for range usr.Logins {
			l := Login{User: u}
			switch {
			case rng.Float64() < usr.PTravel:
				l.Place, l.Network = PlaceTravel, otherNetwork(rng, len(nets), usr.Home, usr.Work)
			case rng.Float64() < usr.PHome:
				l.Place, l.Network = PlaceHome, usr.Home
			default:
				l.Place, l.Network = PlaceWork, usr.Work
			}
			l.Entity = usr.Name
			l.IP = randomAddr(rng, nets[l.Network].Prefix)
			l.Time = cfg.Start.Add(time.Duration(rng.Int64N(window)) * time.Second)
			d.Logins = append(d.Logins, l)
		}
	}
	slices.SortStableFunc(d.Logins, func(a, b Login) int { return a.Time.Compare(b.Time) })
	return d, nil
}

// otherNetwork draws a network index uniformly among n, other than a and b.
func otherNetwork(rng *rand.Rand, n, a, b int) int {
	for {
		if i := rng.IntN(n); i != a && i != b {
			return i
		}
	}
}
