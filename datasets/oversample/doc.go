// Package oversample synthesises minority-class rows for imbalanced tabular
// data. It implements SMOTE (Chawla, Bowyer, Hall and Kegelmeyer, "SMOTE:
// Synthetic Minority Over-sampling Technique", JAIR 16, 2002) and Geometric
// SMOTE (Douzas and Bacao, "Geometric SMOTE a geometrically enhanced drop-in
// replacement for SMOTE", Information Sciences 501, 2019), the latter
// following the reference Python package geometric-smote (class
// GeometricSMOTE, function make_geometric_sample).
//
// Oversampling must be applied to training folds only: synthetic rows are
// interpolated from real ones, so oversampling before a train/validation
// split leaks validation rows into training.
//
// Both oversamplers take rows x (all of one width, finite values) and labels
// y, where y[i] == true marks the class to oversample in Resample. Resample
// returns only the new rows; Balance appends rows of the smaller class until
// both classes have the same count. To reach some other target count T for
// the class marked true, call Resample with nNew = T - count.
//
// Neighbours are found by brute force under the Euclidean distance, which
// costs O(n_minority * (n_minority + n_majority) * d) in the worst case;
// features should be scaled first, since the distance mixes them unweighted.
// Output is deterministic for a given Seed and input order: random numbers
// come from math/rand/v2 PCG seeded with Seed, and distance ties are broken
// by lower row index.
package oversample
