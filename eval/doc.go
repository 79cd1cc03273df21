// Package eval computes detection metrics for anomaly scores: ROC curves and
// their area, hit rates at a bounded false-alarm rate, confusion counts, the
// Maxion-Townsend cost, and the SEA masquerade evaluation protocol
// (Schonlau et al. 2001) with pooled and per-user thresholds.
// For system-call detectors it adds trace-level and LID-DS recording metrics.
//
// Conventions used throughout: a higher score is more anomalous, a score
// alarms when it is strictly greater than the threshold (score > t), a label
// of true marks an anomaly (a masquerade block), and rates lie in [0, 1].
// Scores must be finite; NaN or infinite scores are rejected with an error.
package eval
