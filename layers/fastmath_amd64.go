//go:build amd64 && !purego

package layers

import "golang.org/x/sys/cpu"

// useVMath says whether vmath runs vmathAVX2.
var useVMath = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// vmathBlocks is vmathAVX2, called directly so that its pointer argument
// does not escape.
func vmathBlocks(op int, x *float32, n int) { vmathAVX2(op, x, n) }

// vmathAVX2 replaces x[0:n] (n a multiple of 8) by exp, sigmoid or tanh
// of itself (op vmathExp, vmathSigmoid or vmathTanh).
//
//go:noescape
func vmathAVX2(op int, x *float32, n int)
