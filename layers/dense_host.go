package layers

import "fmt"

// Apply computes act(x·W + b) on the host for x holding n rows of In
// values, writing n rows of Out values to dst: the layer's inference
// outside a graph (serving), with the package's GEMM. It is safe for
// concurrent use while the parameters do not change.
func (d *Dense) Apply(x []float32, n int, dst []float32) error {
	if n < 0 || len(x) != n*d.In || len(dst) != n*d.Out {
		return fmt.Errorf("layers: %s: apply to %d values as %d rows into %d values", d.Describe(), len(x), n, len(dst))
	}
	if n == 0 {
		return nil
	}
	bias := d.B.Data()
	for i := 0; i < n; i++ {
		copy(dst[i*d.Out:(i+1)*d.Out], bias)
	}
	gemmParallel(false, false, n, d.Out, d.In, x, d.In, d.W.Data(), d.Out, dst)
	switch d.Act {
	case Tanh:
		vtanh(dst)
	case Sigmoid:
		vsigmoid(dst)
	case ReLU:
		for i, v := range dst {
			dst[i] = max(v, 0)
		}
	}
	return nil
}
