// Package sweep is the search-space, sampler and pruner library behind
// `vigil sweep`: it proposes experiment configs as `--set key=value`
// overrides and decides which running trials to stop early. It keeps no
// state of its own: a runner owns the trials, passes the whole history to
// each call, and persists trials as JSON.
//
// A Space (Decode from a sweep file's `space:` map, or NewSpace) holds one
// Param per config key: a Choice of values, or an Int or Float range with
// optional log scale, step and grid size, and optional When conditions
// that make a key exist only when other keys hold given values. Its order
// (parents first, otherwise by key) fixes the order of every Point.
//
// Samplers propose the next Point from the history of Trials and a seeded
// *rand.Rand (math/rand/v2):
//
//   - Grid enumerates the Cartesian product of grid values, in order, and
//     returns ErrExhausted when every point is taken;
//   - Random draws keys independently;
//   - TPE is the univariate tree-structured Parzen estimator with Optuna's
//     defaults (10 startup trials, gamma min(ceil(0.1·n), 25), 24 EI
//     candidates, prior weight 1, magic clip, no endpoints).
//
// Pruners judge a running trial from the intermediate values it reported
// per step: Median (Optuna's MedianPruner) and SuccessiveHalving (ASHA,
// Optuna's SuccessiveHalvingPruner). Best picks the winning trial.
//
// A runner's loop is, in outline:
//
//	pt, err := sampler.Sample(trials, rng) // errors.Is(err, ErrExhausted): grid done
//	t := Trial{Number: len(trials), Params: pt, State: Running, Start: time.Now()}
//	// train with experiments.Parse(yaml, pt.Sets()); after each epoch:
//	t.Report(epoch, loss)
//	stop, err := pruner.Prune(t, trials) // stop: t.State = Pruned
//	// at the end: t.State, t.Value = Complete, objective (or Failed and t.Error)
//
// Trials still running belong in the history too: Grid counts their points
// as taken, TPE ignores them.
//
// TPE is implemented here rather than taken from goptuna: goptuna's TPE
// draws from the global math/rand source (so it cannot be seeded per
// sweep), and its mixture log-density sums logs where a log-sum-exp is due.
package sweep
