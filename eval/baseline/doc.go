// Package baseline holds reference detectors for the SEA masquerade data that
// need no learned model, for comparison with vigil's models.
package baseline
