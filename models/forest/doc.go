// Package forest holds two tree ensembles for imbalanced tabular data
// (crypto-miner and insider-threat detection): a random forest classifier
// for two classes and an isolation forest for unlabelled anomaly
// detection. Both reproduce scikit-learn 1.2 exactly, seed for seed.
//
// # Random forest
//
// TrainForest grows ForestConfig.NEstimators CART trees (Breiman 2001) as
// scikit-learn's RandomForestClassifier does:
//
//   - each split is the best over MaxFeatures features drawn without
//     replacement (⌊√d⌋ by default), by the decrease of Gini impurity
//     weighted by the rows' weights; thresholds lie midway between
//     consecutive distinct values, (a + b)/2 computed as a/2 + b/2;
//   - nodes are split until pure, or below MinSamplesSplit rows, or at
//     MaxDepth; each child keeps at least MinSamplesLeaf rows;
//   - each tree sees a bootstrap sample of n rows drawn with replacement,
//     held as integer row weights, unless NoBootstrap;
//   - class weights multiply the row weights: Balanced gives class c the
//     weight n/(2·n_c), BalancedSubsample computes it on each bootstrap
//     sample, Explicit takes the two weights given;
//   - Proba is the mean over the trees of the weighted fraction of true
//     rows in the leaf reached (predict_proba), Importances the mean
//     decrease in impurity normalized per tree and overall
//     (feature_importances_), OOBScore the out-of-bag accuracy.
//
// The randomness is scikit-learn's: numpy's RandomState (MT19937) for the
// per-tree seeds and bootstrap samples, and scikit-learn's xorshift for
// the feature draws, with its introsort, its Fisher–Yates bookkeeping of
// features found constant, and its order of floating-point sums. So with
// Seed = random_state the trees are node for node those of scikit-learn
// 1.2.1: the tests compare split features, thresholds, impurities, weighted
// counts and leaf values exactly, and probabilities, importances and
// out-of-bag scores of whole forests agree to the last bit.
//
// Features are rounded to float32, as scikit-learn stores them, in
// training and in prediction; values beyond the float32 range are an
// error. Tree t depends on (Seed, t) only, so a forest is the same for any
// ForestConfig.Workers.
//
// # Isolation forest
//
// TrainIsolation grows isolation trees (Liu, Ting and Zhou 2008) as
// scikit-learn's IsolationForest does: each on ψ = MaxSamples rows (by
// default min(256, n)) drawn without replacement, split at a threshold
// uniform between the node's minimum and maximum of a random non-constant
// feature, to a depth of at most ⌈log₂ ψ⌉. A row's path length h(x) is the
// depth of the leaf it reaches plus c(m) for the m training rows left
// there, with
//
//	c(n) = 2H(n − 1) − 2(n − 1)/n,  H(i) ≈ ln i + 0.5772156649
//
// (c(1) = 0, c(2) = 1), and its anomaly score is s(x) = 2^(−E[h(x)]/c(ψ)),
// in (0, 1], higher for anomalies. Score returns s, ScoreSamples −s
// (scikit-learn's score_samples), Decision −s − Offset, where Offset is
// −0.5 for Contamination "auto" or the training scores' quantile
// otherwise. Against scikit-learn 1.2.1 with the same random_state, the
// tests find the same trees and score_samples within 2.2e−16.
//
// # Saving
//
// Forest and Isolation are saved and restored with encoding/json:
// MarshalJSON writes a versioned document (formats "vigil.forest/1" and
// "vigil.isolation/1") holding every tree node by node, and UnmarshalJSON,
// after checking that each tree is a well-formed tree over the model's
// features, rebuilds a model whose outputs are the original's bit for bit.
// A Forest's out-of-bag estimates are not saved.
//
// # Batch prediction
//
// Forest.ProbaAll, Isolation.ScoreSamplesAll and Isolation.DecisionAll
// give, for many rows at once, the values of Proba, ScoreSamples and
// Decision bit for bit (each row's sum over the trees is added in tree
// order, as the per-row methods add it) for any number of workers. They
// walk the trees one at a time over blocks of rows rather than each row
// through every tree, on a compact copy of the trees (16 bytes a node,
// the training layout 88), so a tree stays in cache while the rows walk
// it: on 5,000 rows of 40 features and 100 unpruned trees, ProbaAll is
// about three times as fast as Proba row by row.
//
// # Concurrency
//
// Training uses a pool of Workers goroutines, the batch methods one of
// the workers given; a trained Forest or Isolation is read-only, and its
// methods are safe for concurrent use. Prediction costs
// O(trees × depth) per row.
package forest
