// Package compare holds paired statistical tests for deciding whether a
// challenger model is better than a champion that scored the same
// examples: the situation of a shadow deployment, where a candidate scores
// the live traffic silently beside the serving model and is promoted only
// when it is better by more than chance explains, and of nightly
// retraining, where both score the new window's held-out data.
//
// Because both models score the same rows, their errors are correlated;
// the tests here use that pairing, which makes them far more sensitive
// than comparing two independent confidence intervals. Which test answers
// which question:
//
//   - DeLong: is the challenger's ROC AUC higher? It compares rankings
//     over every threshold, so it suits models whose threshold will be
//     re-tuned, and needs only scores. DeLong, DeLong & Clarke-Pearson
//     (1988), computed in O(n log n) by midranks (Sun & Xu 2014). The
//     statistic is asymptotically normal: it assumes enough positives and
//     negatives (tens of each) and independent rows; with a handful of
//     anomalies the p-value is only indicative. Ties count 1/2.
//   - McNemar: at the thresholds actually deployed, is the challenger right
//     more often? It looks only at the discordant rows (one model right,
//     the other wrong) and is exact (binomial), so it is valid for any
//     sample size, but it weighs a missed attack and a false alarm alike:
//     on imbalanced data "right more often" is dominated by the normal
//     class. It assumes independent rows and fixed thresholds (chosen on
//     other data, not on the rows tested).
//   - PairedBootstrapAP: is the challenger's average precision higher? AP
//     is the figure that matters on imbalanced detection, but it has no
//     tractable variance, so both models are resampled together (the same
//     rows in each resample, stratified by class by default) and the
//     one-sided p-value is the fraction of resamples in which the
//     challenger is not ahead. This is the inversion of a percentile
//     interval: approximate, a little liberal with few positives, and
//     conditional on the observed class counts. Deterministic for a seed.
//
// Every test reports a one-sided p-value for H1 "the challenger is
// better" (the decision a promotion needs: p < alpha), a two-sided one,
// and a (1 - alpha) two-sided interval of the difference challenger -
// champion. Note that one-sided p < alpha corresponds to the lower end of
// a (1 - 2·alpha) interval above zero, not of the (1 - alpha) interval
// reported. None of the tests corrects for running several of them or for
// testing every night: a challenger tried nightly at alpha 0.05 against an
// equal champion is promoted by chance about once in twenty nights, which
// is why retraining also requires a margin.
//
// The file contract HoldoutFile (holdout.json) carries one model's scores
// and decisions on identified rows, so that two runs can be paired by id;
// see Holdout.
package compare
