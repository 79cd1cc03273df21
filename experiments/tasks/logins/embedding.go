package logins

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	ds "github.com/vigil-ml/vigil/datasets/logins"
	"github.com/vigil-ml/vigil/eval/report"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/models"
)

// Limits of the embedding scatter.
const (
	maxScatterEntities = 2000
	scatterNetworks    = 6 // /16s given a colour; the others are grey
)

// streamScatter seeds the choice of entities to plot.
const streamScatter = 0x73636174

// entityScatter embeds up to maxScatterEntities trained entities with the
// model, when its scorer is a models.Embedder, and projects them on their
// two principal axes, grouped by each entity's most frequent training /16
// (the scatterNetworks most common of those coloured). It returns nil
// groups when there is no model or it does not embed.
func (d *data) entityScatter(env tasks.Env) ([]report.PointGroup, *pca, error) {
	if env.Model == nil {
		return nil, nil, nil
	}
	s, err := env.Model(0)
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	em, ok := s.(models.Embedder)
	if !ok {
		return nil, nil, nil
	}
	entities, first, top := d.trainEntities()
	if len(entities) > maxScatterEntities {
		rng := rand.New(rand.NewPCG(env.Seed, streamScatter))
		rng.Shuffle(len(entities), func(i, j int) { entities[i], entities[j] = entities[j], entities[i] })
		entities = entities[:maxScatterEntities]
		slices.Sort(entities)
	}
	idx := make([]int, len(entities))
	for i, e := range entities {
		idx[i] = first[e]
	}
	vecs, _, err := em.Embed(d.unit.Pool, idx)
	if err != nil {
		return nil, nil, fmt.Errorf("embedding entities: %w", err)
	}
	if len(vecs) != len(entities) {
		return nil, nil, fmt.Errorf("embedding entities: %d vectors for %d entities", len(vecs), len(entities))
	}
	p, err := fitPCA(vecs)
	if err != nil {
		return nil, nil, err
	}
	return scatterGroups(entities, vecs, top, p), p, nil
}

// trainEntities lists the trained entities (sorted), the pool index of
// each one's first training event and its most frequent /16 in training
// (ties: the lowest).
func (d *data) trainEntities() (names []string, first map[string]int, top map[string]uint32) {
	first, top = map[string]int{}, map[string]uint32{}
	counts := map[string]map[uint32]int{}
	for _, i := range d.sp.train {
		e := d.sp.period[i]
		if _, ok := first[e.Entity]; !ok {
			first[e.Entity] = i
			counts[e.Entity] = map[uint32]int{}
			names = append(names, e.Entity)
		}
		counts[e.Entity][slash16(e.IP)]++
	}
	for name, c := range counts {
		best, n := uint32(0), 0
		for h, k := range c {
			if k > n || (k == n && h < best) {
				best, n = h, k
			}
		}
		top[name] = best
	}
	slices.Sort(names)
	return names, first, top
}

// scatterGroups groups the projected entities by their top /16: the most
// common /16s first, the rest as one muted group.
func scatterGroups(entities []string, vecs [][]float32, top map[string]uint32, p *pca) []report.PointGroup {
	count := map[uint32]int{}
	for _, e := range entities {
		count[top[e]]++
	}
	nets := make([]uint32, 0, len(count))
	for h := range count {
		nets = append(nets, h)
	}
	slices.SortFunc(nets, func(a, b uint32) int {
		return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b))
	})
	nets = nets[:min(len(nets), scatterNetworks)]
	groups := make([]report.PointGroup, len(nets)+1)
	at := map[uint32]int{}
	for k, h := range nets {
		at[h] = k
		groups[k].Name = fmt.Sprintf("%v/16", ds.IPv4FromUint32(h<<16))
	}
	other := len(nets)
	groups[other] = report.PointGroup{Name: "other", Muted: true}
	for i, e := range entities {
		k, ok := at[top[e]]
		if !ok {
			k = other
		}
		x, y := p.project(vecs[i])
		groups[k].X = append(groups[k].X, x)
		groups[k].Y = append(groups[k].Y, y)
	}
	if len(groups[other].X) == 0 {
		groups = groups[:other]
	}
	return groups
}
