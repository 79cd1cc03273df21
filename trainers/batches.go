package trainers

import "math/rand/v2"

// batch returns the example indices of step number s (0-based): batch
// s mod stepsPerEpoch of epoch s / stepsPerEpoch. Epoch e visits the examples
// in the order of rand.New(rand.NewPCG(Seed, e)).Perm(TrainLen); the last
// batch of an epoch holds the remainder. The slice is reused by the next call.
func (t *Trainer) batch(s int) []int {
	epoch, b := s/t.stepsPerEpoch, s%t.stepsPerEpoch
	if epoch != t.permEpoch {
		t.perm = rand.New(rand.NewPCG(t.cfg.Seed, uint64(epoch))).Perm(t.n)
		t.permEpoch = epoch
	}
	lo := b * t.cfg.BatchSize
	return t.perm[lo:min(lo+t.cfg.BatchSize, t.n)]
}
