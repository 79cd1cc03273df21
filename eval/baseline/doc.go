// Package baseline holds reference detectors for the SEA masquerade data that
// need no learned model, for comparison with vigil's models.
// STIDE (Forrest et al. 1996) is the reference for system-call traces.
package baseline
