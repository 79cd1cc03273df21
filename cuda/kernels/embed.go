// Package kernels holds vigil's CUDA C kernels and their compiled form.
//
// The .cu files in this folder are compiled together by nvcc into
// kernels.fatbin (SASS for sm_60, sm_70, sm_80 and sm_90 plus compute_70
// PTX; see README.md and `make kernels`), which is committed and embedded
// here so that the GPU build needs no CUDA toolkit. The default build
// embeds it too but never loads it.
package kernels

import _ "embed"

// Fatbin is the compiled fatbin image of every kernel in this folder, to
// be loaded with the CUDA driver's cuModuleLoadData.
//
//go:embed kernels.fatbin
var Fatbin []byte
