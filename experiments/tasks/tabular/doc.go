// Package tabular is the protocol shared by the tasks whose detectors are
// supervised (or one-class) classifiers on rows of features: insider
// threat on CERT (cert) and crypto-miner detection (miner).
//
// A task turns its data into a Table (features, labels, groups, row ids)
// and hands it to Fit, which:
//
//  1. holds out a stratified share of the groups (protocol.holdout), never
//     seen by tuning or estimation, for choosing the alarm threshold;
//  2. estimates every pipeline of protocol.pipelines (an optional
//     oversampler and a classifier, such as "gsmote+biased-svm") by
//     repeated nested stratified group cross-validation on the rest: the
//     inner folds choose the pipeline's hyperparameters and sampler
//     settings from their grids by average precision, the outer folds
//     score the chosen settings once; no group is ever split and no
//     outer test fold is used for any choice;
//  3. reports precision, recall and F1 at each classifier's own decision
//     threshold and PR-AUC and ROC AUC, pooled over the outer folds, with
//     stratified bootstrap confidence intervals, and PR curves;
//  4. tunes the deployed pipeline (protocol.deploy) the same way on the
//     whole development set, fits it there, scores the hold-out and picks
//     the threshold that reaches protocol.target_precision on the
//     hold-out's PR curve;
//  5. saves that model (model.json) and the hold-out's scores
//     (holdout.json), which nightly retraining and shadow comparisons read.
//
// Rescore scores a new table with a saved model: the same hold-out rows
// of the new data, so that a champion and a challenger score the same
// traffic.
package tabular
