// Package embed trains command embeddings with the skip-gram model of
// fastText (Bojanowski et al., "Enriching Word Vectors with Subword
// Information", TACL 2017): negative sampling, subsampling of frequent
// words, and character n-gram subwords hashed into buckets, so that
// commands never seen in training still get a vector from their n-grams.
//
// The training procedure follows fastText's: the same hash, n-gram
// extraction, initialisation, learning-rate schedule, sigmoid and log
// tables, and Hogwild updates when several threads are used. Vectors are
// exchanged in fastText's .vec text format.
package embed
