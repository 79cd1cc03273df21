// Package trainers trains graph models: optimizers with checkpointable
// state (Adam, SGD; with lazy row-sparse updates for embedding tables, see
// SparseTask) and a deterministic, resumable training loop with early
// stopping, a NaN/Inf guard, checkpoints and progress hooks. Adversarial
// models (VAE-GAN, MAD-GAN) train through NewPhased: each step is a sequence
// of phases, updates of disjoint parameter sets with their own losses and
// optimizers (see PhasedTask).
//
// A run is a function of its Config, Task and initial weights only: epoch e
// visits the examples in the order rand.New(rand.NewPCG(Seed, e)).Perm(n),
// and TrainStep draws noise from a PCG whose state is checkpointed, so a run
// resumed from any checkpoint ends with the same weights, bit for bit, as
// one that was never interrupted:
//
//	tr, err := trainers.New(cfg, task, trainers.WithHooks(trainers.NewProgress(os.Stderr, trainers.ProgressConfig{})))
//	if err != nil {
//		return err
//	}
//	if path, ok, err := checkpoints.Latest(cfg.CheckpointDir); err != nil {
//		return err
//	} else if ok {
//		if err := tr.Resume(path); err != nil {
//			return err
//		}
//	}
//	res, err := tr.Run(ctx)
package trainers
