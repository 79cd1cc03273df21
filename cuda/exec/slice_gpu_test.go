//go:build gpu

package exec

import (
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestGPUSliceConcat runs the slice and concatenation graphs on the GPU
// and compares every instruction's result, the loss and every gradient
// with the CPU backend.
func TestGPUSliceConcat(t *testing.T) {
	for _, c := range sliceCases() {
		t.Run(c.name, func(t *testing.T) {
			p, loss, _, _ := c.build(t)
			gpuCheck(t, p, []*G.Node{loss}, 1e-5)
		})
	}
}
