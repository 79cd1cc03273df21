package datasets

import (
	"math"
	"sort"
)

// freqScores scores every test block of s with a per-user unigram model fitted
// on the training commands (add-one smoothing, one extra slot for unseen
// commands): the mean negative log-probability of the block's commands.
// Higher means more unusual. It returns scores and labels pooled over users.
func freqScores(s *SEA) (scores []float64, labels []bool) {
	for _, u := range s.Users {
		counts := map[string]int{}
		for _, c := range u.Train {
			counts[c]++
		}
		denom := float64(len(u.Train) + len(counts) + 1)
		for b, blk := range u.Blocks {
			nll := 0.0
			for _, c := range blk {
				nll -= math.Log(float64(counts[c]+1) / denom)
			}
			scores = append(scores, nll/float64(len(blk)))
			labels = append(labels, u.Labels[b])
		}
	}
	return scores, labels
}

// auc is the area under the ROC curve: the probability that a random
// positive scores above a random negative, ties counting one half.
func auc(scores []float64, labels []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var pos, neg, rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean 1-based rank of the tie group
		for k := i; k < j; k++ {
			if labels[idx[k]] {
				rankSum += mid
				pos++
			}
		}
		i = j
	}
	neg = float64(len(idx)) - pos
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}
