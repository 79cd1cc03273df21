// Package syscalls reads, generates and featurises system-call traces for
// host-based anomaly detection.
//
// Readers stream one trace at a time and report malformed input as a
// *ParseError naming the file (relative to the dataset root) and line;
// nothing is skipped silently:
//
//   - ReadADFA: the ADFA Linux Dataset (Creech and Hu, WCNC 2013), one
//     file of syscall numbers per trace, with labels, attack families and
//     splits from its folders; WriteADFA writes the same layout.
//   - ListLIDDS2021 and ReadLIDDS2021: LID-DS 2021 scenarios (Grimmer et
//     al., Leipzig University), recordings loose or zipped, labels and
//     exploit start times from each recording's .json; Recording.Calls
//     streams the events of one recording line by line.
//   - ListLIDDS2019 and ReadLIDDS2019: LID-DS 2019 scenarios (runs.csv and
//     one text trace per run).
//   - ReadUNM: the UNM "PID SYSCALL_NUMBER" traces of Forrest et al., one
//     trace per process.
//
// Synthetic generates labelled multi-process, multi-thread traces from
// small program grammars with planted attack sequences.
//
// The features follow those of the LID-DS library: a Vocab mapping calls to
// ids with 0 for unknown calls, FilterDirection, ThreadStreams, NGrams
// (optionally thread-aware), ThreadChangeFlags, TimeDeltas, ReturnValues
// and ArgLengths. MakeNextCallWindows cuts id sequences into examples for
// a next-call language model, and TrainEmbedding learns word2vec-style
// syscall vectors with datasets/embed.
package syscalls
