// Package ocsvm is the one-class support vector machine (Schölkopf,
// Platt, Shawe-Taylor, Smola and Williamson, "Estimating the support of a
// high-dimensional distribution", Neural Computation 13, 2001) for
// unlabelled anomaly detection, as LIBSVM's ONE_CLASS and scikit-learn's
// OneClassSVM compute it.
//
// Train solves the dual in LIBSVM's scaling,
//
//	min ½αᵀKα  subject to  Σα_i = νℓ,  0 ≤ α_i ≤ 1,
//
// (Schölkopf's 0 ≤ α_i ≤ 1/(νℓ), Σα_i = 1, multiplied by νℓ) on the full
// kernel matrix, and the decision function is
//
//	f(x) = Σ_i α_i K(x_i, x) − ρ,
//
// positive inside the estimated support. Decision is f (scikit-learn's
// decision_function), ScoreSamples is f + ρ (score_samples), Score is −f
// (higher = more anomalous) and Outlier is f ≤ 0 (predict = −1). ν bounds
// the fraction of training rows outside from above and the fraction of
// support vectors from below.
//
// The solver is package svm's (svm.SolveDual: LIBSVM's SMO, Fan, Chen and
// Lin 2005) on LIBSVM's one-class problem: every label +1, no linear term,
// bounds 1, started with α_i = 1 for the first rows until νℓ (accumulated
// as Σ ν) is spent; second-order working-set selection, the stopping rule
// m(α) − M(α) < Tol, shrinking every min(ℓ, 1000) iterations with gradient
// reconstruction, ρ averaged over the free multipliers, kernel columns
// stored as float32 in a least-recently-used cache.
//
// Against scikit-learn 1.2.1 on the test datasets (RBF with ν 0.05 to 0.5,
// with and without shrinking, polynomial and linear kernels) the tests
// find the same support vectors, dual coefficients and ρ bit for bit, the
// same iteration counts, and decision values within 1e−14.
//
// A trained Model is saved and restored with encoding/json: MarshalJSON
// writes a versioned document (format "vigil.ocsvm/1") from which
// UnmarshalJSON, after checking it, rebuilds a model whose outputs are the
// original's bit for bit.
//
// Memory is O(ℓ·d) for the data plus the cache; a step costs O(ℓ) kernel
// evaluations for each of its two columns not cached. A Model's methods
// are safe for concurrent use.
package ocsvm
