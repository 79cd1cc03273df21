package ipinsights

import (
	"fmt"

	"github.com/vigil-ml/vigil/datasets/logins"
	"github.com/vigil-ml/vigil/serve"
)

// served is a Model behind serve's inference contract.
type served struct {
	m       *Model
	version string
}

// Served returns the model as a serve.Model named version. Records are
// scored in one batch per request; the embeddings of verbose answers
// alias that batch's buffers.
func (m *Model) Served(version string) serve.Model { return &served{m: m, version: version} }

func (s *served) Version() string { return s.version }

// Score returns each record's dot product and both vectors.
func (s *served) Score(recs []serve.Record) ([]serve.Prediction, error) {
	n, d := len(recs), s.m.Config.Dim
	keys, ips := make([]uint32, n), make([]uint32, n)
	for i, r := range recs {
		u, ok := logins.IPv4Uint32(r.IP)
		if !ok {
			return nil, fmt.Errorf("record %d: %v is not an IPv4 address", i, r.IP)
		}
		keys[i], ips[i] = logins.EntityKey(r.Entity), u
	}
	dot := make([]float64, n)
	ent, ip := make([]float32, n*d), make([]float32, n*d)
	if err := s.m.Pairs(keys, ips, dot, ent, ip); err != nil {
		return nil, err
	}
	out := make([]serve.Prediction, n)
	for i := range out {
		out[i] = serve.Prediction{DotProduct: dot[i], EntityEmbedding: ent[i*d : (i+1)*d : (i+1)*d], IPEmbedding: ip[i*d : (i+1)*d : (i+1)*d]}
	}
	return out, nil
}
