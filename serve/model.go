package serve

import "net/netip"

// A Model scores records; it must be safe for concurrent use.
type Model interface {
	// Score returns one prediction per record (entity, IPv4 address).
	Score(records []Record) ([]Prediction, error)
	Version() string // shown in /metrics and logs
}

// A Record is one (entity, IPv4 address) pair to score.
type Record struct {
	Entity string
	IP     netip.Addr
}

// A Prediction is a model's answer for one record. The embeddings are
// written to the response only when the client asks for verbose output.
type Prediction struct {
	DotProduct                   float64
	EntityEmbedding, IPEmbedding []float32
}

// A Loader builds a model, typically from files on disk. Server.Reload
// calls it; it is never called concurrently with itself.
type Loader func() (Model, error)
