// Package drift tests whether a distribution has moved: the checks a nightly
// retraining job runs on model inputs and on score distributions before it
// promotes a new model.
//
// PSI and PSICategorical compute the population stability index between a
// reference sample (the data the current model was trained or calibrated on)
// and a current sample, with a per-bin table for reports and a Level
// (ok, warn, alarm) from configurable thresholds. KS runs the two-sample
// Kolmogorov–Smirnov test and returns the statistic D, a p-value (exact for
// small samples, asymptotic otherwise) and a drift verdict at a significance
// level. KolmogorovSF is the survival function of the limiting Kolmogorov
// distribution used by the asymptotic p-value.
//
// Conventions: samples are not modified (they are copied before sorting); an
// empty sample or a NaN value is an error that names the sample and, for
// NaN, the index (errors.Is matches ErrEmpty and ErrNaN). Configuration
// structs use the zero value of each field to mean its documented default.
// Nothing in this package panics on any input.
package drift
