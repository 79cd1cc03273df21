package ipinsights

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/vigil-ml/vigil/models"
)

// Pairs scores n pairs on the host: dot[i] is the score of entity key
// keys[i] with address ips[i] (higher = more usual). When ent and ip are
// not nil they receive the n×Dim entity vectors and address encodings. It
// is safe for concurrent use while the parameters do not change.
func (m *Model) Pairs(keys, ips []uint32, dot []float64, ent, ip []float32) error {
	n, d := len(keys), m.Config.Dim
	if len(ips) != n || len(dot) != n || (ent != nil && len(ent) != n*d) || (ip != nil && len(ip) != n*d) {
		return fmt.Errorf("ipinsights: %d keys, %d addresses, %d scores, %d and %d vector values", n, len(ips), len(dot), len(ent), len(ip))
	}
	if ent == nil {
		ent = make([]float32, n*d)
	}
	if ip == nil {
		ip = make([]float32, n*d)
	}
	if w := min(runtime.GOMAXPROCS(0), n/parallelRows); w > 1 {
		return m.pairsParallel(w, keys, ips, dot, ent, ip)
	}
	return m.pairs(keys, ips, dot, ent, ip)
}

// pairs is Pairs on one goroutine (but the encoder's GEMM), with every
// buffer given.
func (m *Model) pairs(keys, ips []uint32, dot []float64, ent, ip []float32) error {
	n, d := len(keys), m.Config.Dim
	for i := range n {
		m.gatherEntity(keys[i], ent[i*d:(i+1)*d])
	}
	if err := m.encode(ips, ip); err != nil {
		return err
	}
	for i := range n {
		var s float64
		e, h := ent[i*d:(i+1)*d], ip[i*d:(i+1)*d]
		for j := range e {
			s += float64(e[j]) * float64(h[j])
		}
		dot[i] = s
	}
	return nil
}

// parallelRows is the least number of pairs worth a goroutine.
const parallelRows = 2048

// pairsParallel is Pairs over w contiguous chunks at once.
func (m *Model) pairsParallel(w int, keys, ips []uint32, dot []float64, ent, ip []float32) error {
	n, d := len(keys), m.Config.Dim
	errs := make([]error, w)
	var wg sync.WaitGroup
	for c := range w {
		lo, hi := c*n/w, (c+1)*n/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[c] = m.pairs(keys[lo:hi], ips[lo:hi], dot[lo:hi], ent[lo*d:hi*d], ip[lo*d:hi*d])
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// encode writes the encodings of ips (n×Dim) to dst.
func (m *Model) encode(ips []uint32, dst []float32) error {
	d := m.Config.Dim
	for i, a := range ips {
		m.gatherPrefixes(a, dst[i*d:(i+1)*d])
	}
	if len(m.enc) == 0 {
		return nil
	}
	tmp := make([]float32, len(dst))
	src, out := dst, tmp
	for _, l := range m.enc {
		if err := l.Apply(src, len(ips), out); err != nil {
			return err
		}
		src, out = out, src
	}
	if &src[0] != &dst[0] {
		copy(dst, src)
	}
	return nil
}

// batchLoss is the summed BCE of true pairs idx of ex and their negatives
// drawn from rng, and the number of rows.
func (m *Model) batchLoss(ex models.Examples, idx []int, rng *rand.Rand) (float64, int, error) {
	k := len(idx)
	rows := k * (1 + m.Config.RandomRate + m.Config.ShuffledRate)
	keys, ips := make([]uint32, rows), make([]uint32, rows)
	labels, valid := make([]float32, rows), make([]bool, rows)
	for i, e := range idx {
		f := ex.IntAt(e)
		keys[i], ips[i] = uint32(f[0]), uint32(f[1])
	}
	layoutRows(m.Config, k, k, keys, ips, labels, valid, rng)
	dot := make([]float64, rows)
	if err := m.Pairs(keys, ips, dot, nil, nil); err != nil {
		return 0, 0, err
	}
	var sum float64
	for r, x := range dot {
		sum += math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) - float64(labels[r])*x
	}
	return sum, rows, nil
}

// scorer scores examples with the host path.
type scorer struct {
	m     *Model
	batch int
}

// Score returns "anomaly" (the negated dot product: higher is more
// unusual) and "dot_product", one value per pair.
func (s *scorer) Score(ex models.Examples, idx []int) ([]models.Score, error) {
	an := models.Score{Name: "anomaly", Width: 1, Values: make([]float64, 0, len(idx))}
	dp := models.Score{Name: "dot_product", Width: 1, Values: make([]float64, 0, len(idx))}
	err := s.each(ex, idx, false, func(dot []float64, _, _ []float32) {
		for _, x := range dot {
			an.Values = append(an.Values, -x)
			dp.Values = append(dp.Values, x)
		}
	})
	return []models.Score{an, dp}, err
}

// Embed returns each pair's entity vector and address encoding.
func (s *scorer) Embed(ex models.Examples, idx []int) (entity, ip [][]float32, err error) {
	d := s.m.Config.Dim
	err = s.each(ex, idx, true, func(_ []float64, e, h []float32) {
		for i := 0; i < len(e)/d; i++ {
			entity = append(entity, append([]float32(nil), e[i*d:(i+1)*d]...))
			ip = append(ip, append([]float32(nil), h[i*d:(i+1)*d]...))
		}
	})
	return entity, ip, err
}

// each scores idx in batches, passing each batch's results to read.
func (s *scorer) each(ex models.Examples, idx []int, vectors bool, read func(dot []float64, ent, ip []float32)) error {
	if ex.IntSize() != 2 || ex.FloatSize() != 0 {
		return fmt.Errorf("ipinsights: examples of %v ints and %v floats, want (entity, IPv4) pairs", ex.IntShape, ex.FloatShape)
	}
	d := s.m.Config.Dim
	for start := 0; start < len(idx); start += s.batch {
		part := idx[start:min(start+s.batch, len(idx))]
		keys, ips := make([]uint32, len(part)), make([]uint32, len(part))
		for i, e := range part {
			f := ex.IntAt(e)
			keys[i], ips[i] = uint32(f[0]), uint32(f[1])
		}
		dot := make([]float64, len(part))
		var ent, ip []float32
		if vectors {
			ent, ip = make([]float32, len(part)*d), make([]float32, len(part)*d)
		}
		if err := s.m.Pairs(keys, ips, dot, ent, ip); err != nil {
			return err
		}
		read(dot, ent, ip)
	}
	return nil
}

// Close releases nothing: the scorer holds no graph.
func (s *scorer) Close() error { return nil }
