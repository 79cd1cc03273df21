// Package svm is an exact soft-margin support vector machine for two
// classes with a penalty per class: the Biased-SVM used for insider-threat
// detection, where the minority (positive, malicious) class gets a larger
// penalty C+ than the majority's C−.
//
// Train solves the dual
//
//	min ½αᵀQα − eᵀα  subject to  yᵀα = 0,  0 ≤ α_i ≤ C_{y_i},
//	Q_ij = y_i y_j K(x_i, x_j),
//
// on the full kernel matrix (no kernel approximation, no subsampling) to the
// stopping tolerance Tol. The solver is LIBSVM's SMO (Fan, Chen and Lin,
// "Working set selection using second order information for training SVM",
// JMLR 6, 2005), statement for statement:
//
//   - working-set selection WSS2: i maximizes −y_t∇f(α)_t over I_up(α), j
//     minimizes the second-order decrease of the objective over the
//     violating pairs (i, j), a non-positive curvature replaced by τ = 1e−12;
//   - the stopping rule m(α) − M(α) < Tol (1e−3 by default) on the maximal
//     violating pair;
//   - optional shrinking every min(n, 1000) iterations, with the gradient of
//     the shrunk variables rebuilt from Ḡ (the part due to variables at their
//     upper bound) and the free variables, and the whole set restored once
//     the violation is within 10·Tol;
//   - a least-recently-used cache of kernel columns, each stored only as
//     far as the active set reaches, CacheMB in size;
//   - the intercept (LIBSVM's ρ) averaged over the free support vectors,
//     y_t∇f(α)_t, or the midpoint of the interval the bounded ones allow when
//     none is free.
//
// The samples are handed to the solver grouped by class as scikit-learn's
// copy of LIBSVM groups them (the false class first, labelled +1 inside the
// solver), and, like LIBSVM, the solver keeps the columns of Q in float32
// (gradients, bounds and multipliers are float64). So on the same data the
// iterates are scikit-learn's: against scikit-learn 1.2.1 the tests find the
// same support vectors, dual coefficients and intercepts to within 1e−13
// and the same iteration counts, with and without shrinking. One difference,
// below the float32 rounding: the RBF kernel is evaluated from ‖u − v‖²
// directly rather than from ‖u‖² + ‖v‖² − 2u·v.
//
// Probability (Config.Probability) is LIBSVM's: Platt's sigmoid
// P(true | f) = 1/(1 + exp(A·f + B)), fitted with the Newton method of Lin,
// Lin and Weng (2007) to decision values from 5-fold cross-validation whose
// folds a seeded PCG shuffles. scikit-learn's folds come from its own
// generator, so probabilities agree with it only loosely.
//
// The penalty rules ClassWeightsIR (scikit-learn's class_weight="balanced")
// and ClassWeightsAD (sample count over average density) compute C+ and C−
// from training data.
//
// A trained Model is saved and restored with encoding/json: MarshalJSON
// writes a versioned document (format "vigil.svm/1": the resolved kernel,
// support vectors, dual coefficients, bias, penalties, Platt's sigmoid and
// the solver's statistics) from which UnmarshalJSON, after checking it,
// rebuilds a model whose outputs are the original's bit for bit.
//
// The arithmetic around the solver is arranged for speed without changing
// its iterates. A column of Q is computed in two passes: the squared
// distances (RBF) or dot products of one row with all the active rows,
// which the solver keeps contiguous in its own order, then the kernel
// values, with an exp (expNonPos) within about half an ulp. Where the CPU
// has AVX2 and FMA (amd64), both passes, the two scans of WSS2 and the
// gradient update run four values at a time; the scans and the update make
// the same roundings and break ties as LIBSVM's loops do, and the exp is the
// scalar one bit for bit. The cache applies the row swaps of shrinking
// lazily, a column at a time when the column is next used, instead of
// walking every cached column at each swap. Decision computes its kernel
// values the same way, a block of support vectors at a time.
//
// Memory is O(n·d) for the data plus the cache; a step costs O(n) kernel
// evaluations when its two columns are not cached. The kernel cache is not
// shared: Train may run concurrently on different data, and a Model's
// methods are safe for concurrent use.
package svm
