package logins

import (
	"math"
	"net/netip"
	"testing"
)

func TestInjectAttacks(t *testing.T) {
	d, err := Synthesize(SynthConfig{Users: 100, Networks: 300, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	evs := d.Events()
	idx, _ := newNetworkIndex(d.Networks)
	own := map[string]map[int]bool{}
	for _, e := range evs {
		if own[e.Entity] == nil {
			own[e.Entity] = map[int]bool{}
		}
		own[e.Entity][idx.lookup(e.IP)] = true
	}
	for _, frac := range []float64{0, 0.01, 0.5, 1} {
		out, err := InjectAttacks(evs, d.Networks, AttackConfig{Fraction: frac, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != len(evs) {
			t.Fatalf("%d events out, want %d", len(out), len(evs))
		}
		attacks := 0
		for i, o := range out {
			in := evs[i]
			if o.Entity != in.Entity || o.Time != in.Time || o.Line != in.Line {
				t.Fatalf("event %d changed identity: %+v from %+v", i, o, in)
			}
			if !o.Attack {
				if o.IP != in.IP {
					t.Fatalf("event %d: address changed without an attack label", i)
				}
				continue
			}
			attacks++
			k := idx.lookup(o.IP)
			if k < 0 || own[o.Entity][k] {
				t.Fatalf("attack %d from %v: network %d is the entity's own or none", i, o.IP, k)
			}
		}
		if want := int(math.Round(frac * float64(len(evs)))); attacks != want {
			t.Errorf("fraction %v: %d attacks, want %d", frac, attacks, want)
		}
	}
	a, _ := InjectAttacks(evs, d.Networks, AttackConfig{Fraction: 0.1, Seed: 1})
	b, _ := InjectAttacks(evs, d.Networks, AttackConfig{Fraction: 0.1, Seed: 1})
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed, different attacks")
		}
	}
}

func TestInjectAttacksErrors(t *testing.T) {
	nets := []Network{{Prefix: netip.MustParsePrefix("10.0.0.0/24")}, {Prefix: netip.MustParsePrefix("10.0.1.0/24")}}
	evs := []Event{
		{Entity: "a", IP: netip.MustParseAddr("10.0.0.1")},
		{Entity: "a", IP: netip.MustParseAddr("10.0.1.1")},
	}
	if _, err := InjectAttacks(evs, nets, AttackConfig{Fraction: 1}); err == nil {
		t.Error("no error when the entity uses every network")
	}
	if _, err := InjectAttacks(evs, nets, AttackConfig{Fraction: 1.5}); err == nil {
		t.Error("fraction 1.5 accepted")
	}
	overlap := append(nets, Network{Prefix: netip.MustParsePrefix("10.0.0.0/16")})
	if _, err := InjectAttacks(evs, overlap, AttackConfig{Fraction: 0.5}); err == nil {
		t.Error("overlapping networks accepted")
	}
	out, err := InjectAttacks(evs[:1], nets, AttackConfig{Fraction: 1})
	if err != nil || !out[0].Attack || !nets[1].Prefix.Contains(out[0].IP) {
		t.Errorf("single event: %+v, %v", out, err)
	}
}
