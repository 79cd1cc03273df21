package baseline

import (
	"fmt"
	"math"
)

// DefaultAlpha is the additive smoothing constant of Maxion & Townsend 2002.
const DefaultAlpha = 0.01

// NaiveBayes is the Maxion & Townsend (2002) naive Bayes masquerade detector
// without updating. Per user it fits two multinomial command models with
// additive smoothing, P(c) = (n(c) + Alpha) / (N + Alpha*V): "self" from the
// user's own training commands and "non-self" from all other users' training
// commands. V is the number of distinct commands in anyone's training data
// plus one slot shared by commands never seen in training. A block scores
// log P(block | non-self) - log P(block | self), in nats; higher is more
// anomalous. Alpha zero means DefaultAlpha.
type NaiveBayes struct {
	Alpha float64
}

// ScoreSEA scores every user's test blocks and, for per-user thresholds, the
// user's own training data. train[u] is user u's clean training sequence and
// blocks[u] its test blocks in order (each non-empty, any length).
//
// Training scores avoid in-sample bias by leave-one-block-out: train[u] is cut
// into consecutive blocks of blockLen commands (50 blocks of 100 on SEA), and
// each block is scored with a self model fit on the user's other training
// commands; the non-self model and the vocabulary stay those of the full
// training data. Trailing commands short of a whole block are not scored but
// stay in the self model. trainScores[u] has len(train[u])/blockLen entries
// and testScores[u] len(blocks[u]).
//
// Errors: Alpha negative or not finite, blockLen < 1, fewer than two users,
// len(train) != len(blocks), a user with fewer than two training blocks, or
// an empty test block.
func (nb NaiveBayes) ScoreSEA(train [][]string, blocks [][][]string, blockLen int) (trainScores, testScores [][]float64, err error) {
	alpha, err := nb.alpha()
	if err != nil {
		return nil, nil, err
	}
	if err := checkSEAInput(train, blocks, blockLen); err != nil {
		return nil, nil, err
	}
	voc := newVocabulary(train)
	self := make([][]float64, len(train))
	all := make([]float64, voc.size())
	for u, cmds := range train {
		self[u] = voc.counts(cmds)
		for i, n := range self[u] {
			all[i] += n
		}
	}
	trainScores = make([][]float64, len(train))
	testScores = make([][]float64, len(train))
	for u := range train {
		non := make([]float64, len(all))
		for i := range all {
			non[i] = all[i] - self[u][i]
		}
		nonModel := newMultinomial(non, alpha)
		selfModel := newMultinomial(self[u], alpha)
		for _, b := range blocks[u] {
			testScores[u] = append(testScores[u], score(voc, b, nonModel, selfModel))
		}
		for start := 0; start+blockLen <= len(train[u]); start += blockLen {
			b := train[u][start : start+blockLen]
			held := selfModel.without(voc.counts(b))
			trainScores[u] = append(trainScores[u], score(voc, b, nonModel, held))
		}
	}
	return trainScores, testScores, nil
}

func (nb NaiveBayes) alpha() (float64, error) {
	a := nb.Alpha
	if a == 0 {
		return DefaultAlpha, nil
	}
	if a < 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		return 0, fmt.Errorf("baseline: naive Bayes alpha %v, want a finite value > 0", a)
	}
	return a, nil
}

func checkSEAInput(train [][]string, blocks [][][]string, blockLen int) error {
	if blockLen < 1 {
		return fmt.Errorf("baseline: block length %d, want >= 1", blockLen)
	}
	if len(train) < 2 {
		return fmt.Errorf("baseline: %d users, want >= 2 for a non-self model", len(train))
	}
	if len(train) != len(blocks) {
		return fmt.Errorf("baseline: %d training sequences but %d users' test blocks", len(train), len(blocks))
	}
	for u := range train {
		if len(train[u]) < 2*blockLen {
			return fmt.Errorf("baseline: user %d has %d training commands, want >= %d (two blocks)", u, len(train[u]), 2*blockLen)
		}
		for j, b := range blocks[u] {
			if len(b) == 0 {
				return fmt.Errorf("baseline: user %d test block %d is empty", u, j)
			}
		}
	}
	return nil
}

// score returns log P(cmds | non) - log P(cmds | self).
func score(voc vocabulary, cmds []string, non, self multinomial) float64 {
	s := 0.0
	for _, c := range cmds {
		i := voc.index(c)
		s += non.logProb(i) - self.logProb(i)
	}
	return s
}
