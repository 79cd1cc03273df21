package logins

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// LabelledEvent is an event with its ground truth.
type LabelledEvent struct {
	Event
	Attack bool
}

// AttackConfig configures InjectAttacks.
type AttackConfig struct {
	Fraction float64 // share of the events replaced by attacks, in [0, 1]
	Seed     uint64
}

// InjectAttacks returns a copy of events in which round(Fraction·len)
// events, chosen at random, are replaced by an attack: the same entity at
// the same time, logging in from an address drawn uniformly inside a
// network of nets drawn uniformly among those where the entity never
// appears in events. nets must be disjoint IPv4 networks.
func InjectAttacks(events []Event, nets []Network, cfg AttackConfig) ([]LabelledEvent, error) {
	if cfg.Fraction < 0 || cfg.Fraction > 1 || math.IsNaN(cfg.Fraction) {
		return nil, fmt.Errorf("logins: attack fraction %v outside [0, 1]", cfg.Fraction)
	}
	idx, err := newNetworkIndex(nets)
	if err != nil {
		return nil, err
	}
	own := map[string]map[int]bool{}
	out := make([]LabelledEvent, len(events))
	for i, e := range events {
		out[i].Event = e
		if own[e.Entity] == nil {
			own[e.Entity] = map[int]bool{}
		}
		if k := idx.lookup(e.IP); k >= 0 {
			own[e.Entity][k] = true
		}
	}
	k := int(math.Round(cfg.Fraction * float64(len(events))))
	if k == 0 {
		return out, nil
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x61747461636b))
	order := make([]int, len(events))
	for i := range order {
		order[i] = i
	}
	for j := range k { // partial Fisher-Yates: order[:k] is a random sample
		r := j + rng.IntN(len(order)-j)
		order[j], order[r] = order[r], order[j]
	}
	for _, i := range order[:k] {
		e := &out[i]
		n, ok := foreignNetwork(rng, len(nets), own[e.Entity])
		if !ok {
			return nil, fmt.Errorf("logins: entity %q appears in every network", e.Entity)
		}
		e.IP = randomAddr(rng, nets[n].Prefix)
		e.Attack = true
	}
	return out, nil
}

// foreignNetwork draws uniformly an index in [0, n) not in own.
func foreignNetwork(rng *rand.Rand, n int, own map[int]bool) (int, bool) {
	if len(own) >= n {
		return 0, false
	}
	if len(own) <= n/2 {
		for {
			if i := rng.IntN(n); !own[i] {
				return i, true
			}
		}
	}
	free := make([]int, 0, n-len(own))
	for i := range n {
		if !own[i] {
			free = append(free, i)
		}
	}
	return free[rng.IntN(len(free))], true
}
