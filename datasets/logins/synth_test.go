package logins

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func TestSynthesizeDeterministic(t *testing.T) {
	cfg := SynthConfig{Users: 50, Networks: 100, Seed: 7}
	a, err := Synthesize(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Synthesize(cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different data")
	}
	cfg.Seed = 8
	c, _ := Synthesize(cfg)
	if reflect.DeepEqual(a.Logins, c.Logins) {
		t.Fatal("different seeds, same data")
	}
}

func TestSynthesizeSanity(t *testing.T) {
	d, err := Synthesize(SynthConfig{Users: 400, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := newNetworkIndex(d.Networks)
	if err != nil {
		t.Fatalf("network table: %v", err)
	}
	for i, n := range d.Networks {
		if b := n.Prefix.Bits(); b < 16 || b > 24 || n.Prefix.Masked() != n.Prefix || n.Weight < 1 {
			t.Fatalf("network %d = %+v", i, n)
		}
		if h, _ := IPv4Uint32(n.Prefix.Addr()); reserved16(h >> 16) {
			t.Fatalf("network %v in reserved space", n.Prefix)
		}
	}
	home := make([]int, len(d.Users))
	count := make([]int, len(d.Users))
	var sumHome, sumTravel float64
	for i, l := range d.Logins {
		u := d.Users[l.User]
		if !d.Networks[l.Network].Prefix.Contains(l.IP) || idx.lookup(l.IP) != l.Network {
			t.Fatalf("login %d: %v outside network %v", i, l.IP, d.Networks[l.Network].Prefix)
		}
		if i > 0 && l.Time.Before(d.Logins[i-1].Time) {
			t.Fatalf("login %d out of time order", i)
		}
		if start := time.Date(2018, 11, 4, 0, 0, 0, 0, time.UTC); l.Entity != u.Name || l.Time.Before(start) || !l.Time.Before(start.AddDate(0, 0, 10)) {
			t.Fatalf("login %d = %+v", i, l)
		}
		want := map[Place]int{PlaceHome: u.Home, PlaceWork: u.Work}
		if w, ok := want[l.Place]; ok && l.Network != w {
			t.Fatalf("login %d at %s from network %d, want %d", i, l.Place, l.Network, w)
		}
		if l.Place == PlaceTravel && (l.Network == u.Home || l.Network == u.Work) {
			t.Fatalf("login %d travelling from home or work", i)
		}
		count[l.User]++
		if l.Network == u.Home {
			home[l.User]++
		}
	}
	big := 0
	for i, u := range d.Users {
		if count[i] != u.Logins || u.Logins < 50 || u.Logins > 10000 {
			t.Fatalf("user %d: %d logins, profile says %d", i, count[i], u.Logins)
		}
		if d.Networks[u.Home].Kind != ISP || d.Networks[u.Work].Kind != Company {
			t.Fatalf("user %d: home %v work %v", i, d.Networks[u.Home].Kind, d.Networks[u.Work].Kind)
		}
		sumHome += u.PHome
		sumTravel += u.PTravel
		if u.Logins > d.Users[big].Logins {
			big = i
		}
	}
	// The largest user's share of home logins matches its Beta draws.
	u := d.Users[big]
	want := (1 - u.PTravel) * u.PHome
	got := float64(home[big]) / float64(u.Logins)
	tol := 4 * math.Sqrt(want*(1-want)/float64(u.Logins))
	if u.Logins < 1000 || math.Abs(got-want) > tol {
		t.Errorf("user %d (%d logins): home share %.3f, want %.3f ± %.3f", big, u.Logins, got, want, tol)
	}
	// The Beta draws have the means of their priors: 3/8 and 1/31.
	n := float64(len(d.Users))
	if m := sumHome / n; math.Abs(m-3.0/8) > 0.03 {
		t.Errorf("mean P(home) %.3f, want 0.375", m)
	}
	if m := sumTravel / n; math.Abs(m-1.0/31) > 0.01 {
		t.Errorf("mean P(travel) %.3f, want 0.032", m)
	}
}

func TestSynthesizeRejectsBadConfig(t *testing.T) {
	for _, cfg := range []SynthConfig{
		{Users: -1},
		{Networks: 2},
		{Networks: maxNetworks + 1},
		{ISPShare: 1.5},
		{MinBits: 8},
		{MinBits: 24, MaxBits: 20},
		{HomeAlpha: -1},
		{Days: -3},
	} {
		if _, err := Synthesize(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
