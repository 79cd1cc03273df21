// Package cv splits imbalanced, grouped tabular data for the evaluation of
// supervised detectors (insiders on CERT, crypto-miners) and runs repeated
// nested cross-validation over the splits.
//
// StratifiedKFold and StratifiedGroupKFold reproduce scikit-learn's
// splitters (version 1.2) without shuffling, fold for fold, and shuffle
// deterministically from a seed with a PCG generator. RepeatedNested gives,
// per repeat and outer fold, the outer train/test split and inner folds
// over the outer training part only, grouped and stratified at both levels.
// NestedCV drives model selection over those folds: each candidate's mean
// inner score picks the candidate, which is refitted on the whole outer
// training part and scored once on the outer test fold; the result holds
// the per-fold outer scores, the chosen candidates, and their mean with a
// bootstrap interval across folds (eval.BootstrapMean).
//
// The insider-threat seed this project grew from tuned its hyperparameters
// on the very folds it reported, so its scores were optimistic. NestedCV
// makes that impossible by construction: fit and the inner scoring only
// ever receive indices of the outer training part, and the outer test
// indices reach score once per fold, after the choice is made. Groups (a
// user's days, a host's processes) never straddle a train/test boundary at
// either level, which would leak a user's habits into the test.
//
// Indices refer to the caller's rows: the package never sees features. A
// label of true marks a positive (an anomaly); higher scores are better.
// Every test fold RepeatedNested returns holds both classes, or it fails
// with ErrOneClassFold, because ranking metrics such as average precision
// are undefined on a single class.
package cv
