package logins

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"

	ds "github.com/vigil-ml/vigil/datasets/logins"
)

// attackSet names the test set of an attack rate: attacks_1pct,
// attacks_50pct, attacks_0p5pct.
func attackSet(rate float64) string {
	pct := strconv.FormatFloat(math.Round(100*rate*1e6)/1e6, 'f', -1, 64)
	return "attacks_" + strings.ReplaceAll(pct, ".", "p") + "pct"
}

// testSet is the test events of one attack rate, labelled.
type testSet struct {
	name   string
	rate   float64
	events []ds.LabelledEvent
	// attacks counts the attack events; redrawn those of them moved off a
	// network their entity used in training.
	attacks, redrawn int
}

// streamRedraw seeds the redrawing of attacks.
const streamRedraw = 0x726564726177

// injectAll replaces round(rate·n) test events by attacks for every rate,
// each rate with its own seed derived from seed and its set name.
// logins.InjectAttacks draws an attack's network among those its entity
// does not use in the test events; one its entity used in training only
// is redrawn among the networks the entity never used.
func injectAll(test []ds.Event, nets []ds.Network, rates []float64, seed uint64, trained map[string]map[uint32]bool) ([]testSet, error) {
	used := map[string]map[uint32]bool{}
	for e, hs := range trained {
		used[e] = maps.Clone(hs)
	}
	for _, e := range test {
		if used[e.Entity] == nil {
			used[e.Entity] = map[uint32]bool{}
		}
		used[e.Entity][slash16(e.IP)] = true
	}
	var out []testSet
	for _, r := range rates {
		name := attackSet(r)
		s := seed ^ uint64(ds.EntityKey(name))
		lab, err := ds.InjectAttacks(test, nets, ds.AttackConfig{Fraction: r, Seed: s})
		if err != nil {
			return nil, err
		}
		ts := testSet{name: name, rate: r, events: lab}
		rng := rand.New(rand.NewPCG(s, streamRedraw))
		for i := range lab {
			e := &lab[i]
			if !e.Attack {
				continue
			}
			ts.attacks++
			if trained[e.Entity][slash16(e.IP)] {
				if e.IP, err = foreignAddr(nets, used[e.Entity], rng); err != nil {
					return nil, fmt.Errorf("%s: entity %q: %w", name, e.Entity, err)
				}
				ts.redrawn++
			}
		}
		out = append(out, ts)
	}
	return out, nil
}

// foreignAddr draws an address uniformly inside a network of nets drawn
// uniformly among those whose /16 is not in used (each network of nets
// lies in its own /16).
func foreignAddr(nets []ds.Network, used map[uint32]bool, rng *rand.Rand) (netip.Addr, error) {
	var free []int
	for i, n := range nets {
		if !used[slash16(n.Prefix.Addr())] {
			free = append(free, i)
		}
	}
	if len(free) == 0 {
		return netip.Addr{}, errors.New("no network left that the entity never used")
	}
	p := nets[free[rng.IntN(len(free))]].Prefix.Masked()
	base, _ := ds.IPv4Uint32(p.Addr())
	return ds.IPv4FromUint32(base + uint32(rng.Uint64N(uint64(1)<<(32-p.Bits())))), nil
}

// discriminator gives each event's entity a uniformly random IPv4 address
// (each octet uniform): SageMaker's negatives for its discriminator AUC.
func discriminator(events []ds.Event, rng *rand.Rand) []ds.Event {
	out := make([]ds.Event, len(events))
	for i, e := range events {
		out[i] = ds.Event{Entity: e.Entity, IP: ds.IPv4FromUint32(rng.Uint32()), Time: e.Time}
	}
	return out
}
