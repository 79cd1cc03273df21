package ipinsights

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"text/tabwriter"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/layers"
	"github.com/vigil-ml/vigil/models"
)

// Model holds the entity table, the prefix tables and the encoder layers.
type Model struct {
	Config Config
	Reg    *graph.Registry
	// Entity is the entity table [Entities, Dim].
	Entity *graph.Param
	// Prefix holds the four prefix tables (/8, /16, /24, /32) one after
	// the other: [4·Buckets, Dim].
	Prefix *graph.Param
	enc    []*layers.Dense
}

// New creates a model. Table rows are drawn from N(0, 1/Dim), so that the
// initial scores are small; the encoder layers are Glorot-uniform.
func New(cfg Config, rng *rand.Rand) (*Model, error) {
	if cfg.Entities < 1 || cfg.Dim < 1 || cfg.Buckets < 1 || cfg.Layers < 0 || cfg.RandomRate < 0 || cfg.ShuffledRate < 0 || cfg.RandomRate+cfg.ShuffledRate < 1 {
		return nil, fmt.Errorf("ipinsights: invalid sizes %+v", cfg)
	}
	m := &Model{Config: cfg, Reg: graph.NewRegistry()}
	std := 1 / math.Sqrt(float64(cfg.Dim))
	var err error
	if m.Entity, err = m.Reg.Add("entity", []int{cfg.Entities, cfg.Dim}, graph.Normal(std), rng); err != nil {
		return nil, err
	}
	if m.Prefix, err = m.Reg.Add("ip_prefix", []int{4 * cfg.Buckets, cfg.Dim}, graph.Normal(std/2), rng); err != nil {
		return nil, err
	}
	for i := range cfg.Layers {
		d, err := layers.NewDense(m.Reg, fmt.Sprintf("ip_encoder.%d", i), cfg.Dim, cfg.Dim, layers.Tanh, rng)
		if err != nil {
			return nil, err
		}
		m.enc = append(m.enc, d)
	}
	return m, nil
}

// Encoder returns the dense layers of the address encoder.
func (m *Model) Encoder() []*layers.Dense { return m.enc }

// Registry is the model's parameters.
func (m *Model) Registry() *graph.Registry { return m.Reg }

// TrainTask trains on pairs train and validates on val (indices into ex,
// whose int features are logins.PairFeatures); batch counts true pairs.
func (m *Model) TrainTask(ex models.Examples, train, val []int, batch, evalBatch int, factory graph.RunnerFactory) (models.TrainTask, error) {
	return newTask(m, ex, train, val, batch, factory)
}

// Scorer scores pairs on the host (table lookups and the encoder's GEMM:
// no graph); batch bounds the pairs encoded at once.
func (m *Model) Scorer(batch int, _ graph.RunnerFactory) (models.Scorer, error) {
	return &scorer{m: m, batch: max(batch, 1)}, nil
}

// WriteSummary prints the layer table and the total parameter count.
func (m *Model) WriteSummary(w io.Writer) error {
	c := m.Config
	fmt.Fprintf(w, "IP Insights: entity and IPv4 vectors of %d, %d+%d negatives per pair (shuffled+random)\n", c.Dim, c.ShuffledRate, c.RandomRate)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "layer\toutput\tparameters")
	fmt.Fprintf(tw, "Entity table %d (hashed)\t%d\t%d\n", c.Entities, c.Dim, m.Entity.Size())
	fmt.Fprintf(tw, "Prefix tables /8 /16 /24 /32, %d buckets each, summed\t%d\t%d\n", c.Buckets, c.Dim, m.Prefix.Size())
	for _, d := range m.enc {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", d.Describe(), c.Dim, d.W.Size()+d.B.Size())
	}
	fmt.Fprintf(tw, "Dot product, BCE with logits\t1\t0\n")
	fmt.Fprintf(tw, "total\t\t%d\n", m.Reg.Count())
	return tw.Flush()
}
