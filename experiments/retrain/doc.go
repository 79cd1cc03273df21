// Package retrain is vigil's nightly retraining: train a challenger on a
// new data window, score it and the serving champion on the same
// held-out data, test the inputs and the champion's scores (or class
// probabilities) for drift, and promote the challenger only when it wins
// by a margin, optionally also by a paired statistical test on the same
// rows (Options.Test, see eval/compare), and no drift alarm blocks it.
//
// A served model directory is a symbolic link to a release, a run
// directory under <dir>.releases/; promotion writes the challenger's run
// there and swaps the link atomically (a rename), then touches the
// release's VERSION file, which `vigil serve --watch` reloads on. A plain
// run directory given as the champion is first moved into the releases
// and replaced by a link to it. Rollback points the link at the release
// before. Every decision is recorded in the run registry with its reason.
package retrain
