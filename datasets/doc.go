// Package datasets reads, writes and synthesises the command-sequence data
// used to train behavioural anomaly detectors, and turns per-command
// embeddings into the fixed-size windows the models consume.
//
// The SEA masquerade data of Schonlau et al. ("Computer Intrusion: Detecting
// Masquerades", Statistical Science 16(1), 2001) is supported through ReadSEA
// and WriteSEA; SyntheticSEA produces data in the same layout with planted
// masquerade blocks.
package datasets
