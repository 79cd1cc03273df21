package logins

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vigil-ml/vigil/eval/report"
)

func TestTrainEntities(t *testing.T) {
	d, err := load(t, 1, pairsConfig(writeFile(t, "pairs.csv", pairsFile), true))
	if err != nil {
		t.Fatal(err)
	}
	names, first, top := d.trainEntities()
	if !slices.Equal(names, []string{"alice", "bob", "carol", "dave"}) {
		t.Fatalf("entities %v", names)
	}
	for name, h := range map[string]uint32{"alice": 198<<8 | 51, "bob": 203<<8 | 0, "carol": 192<<8 | 0, "dave": 100<<8 | 1} {
		if top[name] != h {
			t.Errorf("%s: top /16 %x, want %x", name, top[name], h)
		}
		if i := first[name]; d.sp.period[i].Entity != name || !slices.Contains(d.sp.train, i) {
			t.Errorf("%s: first training event %d", name, i)
		}
	}
}

// TestScatterGroups: eight /16s, the first six by entity count coloured
// (ties by address), the other two's entities one muted group.
func TestScatterGroups(t *testing.T) {
	var entities []string
	var vecs [][]float32
	top := map[string]uint32{}
	for net := range 8 {
		for k := range 8 - net { // net 0 has 8 entities, net 7 has 1
			e := fmt.Sprintf("u%d_%d", net, k)
			entities = append(entities, e)
			top[e] = uint32(10+net) << 8
			vecs = append(vecs, []float32{float32(net), float32(k), 1})
		}
	}
	p, err := fitPCA(vecs)
	if err != nil {
		t.Fatal(err)
	}
	groups := scatterGroups(entities, vecs, top, p)
	if len(groups) != scatterNetworks+1 {
		t.Fatalf("%d groups", len(groups))
	}
	for k, g := range groups[:scatterNetworks] {
		if want := fmt.Sprintf("%d.0.0.0/16", 10+k); g.Name != want || len(g.X) != 8-k || g.Muted {
			t.Errorf("group %d: %s with %d points, want %s with %d", k, g.Name, len(g.X), want, 8-k)
		}
	}
	if o := groups[scatterNetworks]; o.Name != "other" || !o.Muted || len(o.X) != 3 {
		t.Errorf("other group %+v", o)
	}
	path := filepath.Join(t.TempDir(), "embedding.png")
	if err := report.PlotScatter(path, "Entity embeddings", "PC 1", "PC 2", groups); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path)
	if groups := scatterGroups(entities[:8], vecs[:8], top, p); len(groups) != 1 || groups[0].Muted {
		t.Errorf("one /16: groups %+v", groups)
	}
}
