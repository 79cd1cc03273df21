package logins

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	ds "github.com/vigil-ml/vigil/datasets/logins"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/models"
)

// Task is the IP Insights login task ("logins").
type Task struct{}

// Name is "logins".
func (Task) Name() string { return "logins" }

// DefaultKind is the IP Insights model.
func (Task) DefaultKind() string { return "ipinsights" }

// Input validates the sections: pairs of int32 [entity key, IPv4].
func (Task) Input(m map[string]any) (models.Input, error) {
	c, err := sections(m)
	if err != nil {
		return models.Input{}, err
	}
	if err := c.Validate(); err != nil {
		return models.Input{}, err
	}
	return input, nil
}

// Seed streams of the task's random draws.
const (
	streamSplit    = 0x73706c6974
	streamNetworks = 0x6e657473
	streamRandomIP = 0x72616e646970
)

// data is the split events, their attack sets and the encoded unit.
type data struct {
	cfg  Config
	src  *source
	sp   *split
	sets []testSet
	disc []ds.Event // the validation entities with random addresses
	// nets is the attack network table; observed of them come from the log.
	nets     []ds.Network
	observed int
	unit     tasks.Unit
	seconds  float64
}

// Load reads or generates the events, splits them, injects the attacks
// and encodes the unit.
func (Task) Load(ctx context.Context, m map[string]any, env tasks.Env) (tasks.Data, error) {
	t0 := time.Now()
	c, err := sections(m)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	src, err := readSource(*c.Data, env.Seed)
	if err != nil {
		return nil, err
	}
	sp, err := splitEvents(src.events, *c.Data, c.Eval.KnownEntitiesOnly, rand.New(rand.NewPCG(env.Seed, streamSplit)))
	if err != nil {
		return nil, err
	}
	d := &data{cfg: c, src: src, sp: sp, nets: src.nets, observed: len(src.nets)}
	if d.nets == nil {
		d.nets, d.observed = logNetworks(src.events, rand.New(rand.NewPCG(env.Seed, streamNetworks)))
	}
	if d.sets, err = injectAll(sp.test, d.nets, c.Eval.AttackRates, env.Seed, usedNetworks(sp.period, sp.train)); err != nil {
		return nil, err
	}
	d.disc = discriminator(d.valEvents(), rand.New(rand.NewPCG(env.Seed, streamRandomIP)))
	if d.unit, err = d.encodeUnit(); err != nil {
		return nil, err
	}
	d.seconds = time.Since(t0).Seconds()
	st := src.stats
	env.Log.Info("logins loaded", "records", st.Records, "events", len(src.events), "ignored", st.Ignored,
		"skipped", st.TotalSkipped(), "train", len(sp.train), "validation", len(sp.val), "test", len(sp.test),
		"unknown_entity_test_events", sp.unknown, "seconds", fmt.Sprintf("%.1f", d.seconds))
	if st.TotalSkipped() > 0 {
		env.Log.Warn("bad records skipped", "by_reason", st.Skipped)
	}
	return d, ctx.Err()
}

// valEvents are the held-out training-period events.
func (d *data) valEvents() []ds.Event { return pick(d.sp.period, d.sp.val) }

// trainEvents are the events trained on.
func (d *data) trainEvents() []ds.Event { return pick(d.sp.period, d.sp.train) }

func pick(events []ds.Event, idx []int) []ds.Event {
	out := make([]ds.Event, len(idx))
	for j, i := range idx {
		out[j] = events[i]
	}
	return out
}

// encodeUnit builds the one unit: the training period's events as the
// pool, and the sets validation, discriminator and one per attack rate.
func (d *data) encodeUnit() (tasks.Unit, error) {
	pool, err := encodeEvents(d.sp.period)
	if err != nil {
		return tasks.Unit{}, err
	}
	disc, err := encodeEvents(d.disc)
	if err != nil {
		return tasks.Unit{}, err
	}
	u := tasks.Unit{Pool: pool, Train: d.sp.train, Val: d.sp.val, Sets: []tasks.Set{
		{Name: setValidation, Examples: pool, Idx: d.sp.val},
		{Name: setDiscriminator, Examples: disc},
	}}
	for _, ts := range d.sets {
		ex, err := encodeLabelled(ts.events)
		if err != nil {
			return tasks.Unit{}, err
		}
		u.Sets = append(u.Sets, tasks.Set{Name: ts.name, Examples: ex})
	}
	return u, nil
}

// Names of the sets besides the attack sets.
const (
	setValidation    = "validation"
	setDiscriminator = "discriminator"
)

// Units is one global model.
func (d *data) Units() []string { return []string{"all"} }

// Input is pairs of int32 [entity key, IPv4], unbounded.
func (d *data) Input() models.Input { return input }

// Unit trains on the training period's events but the validation ones.
func (d *data) Unit(i int) (tasks.Unit, error) {
	if i != 0 {
		return tasks.Unit{}, fmt.Errorf("logins: no unit %d (one unit, all)", i)
	}
	return d.unit, nil
}
