//go:build gpu

package device

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestArena(t *testing.T) {
	e := newEnv(t)
	a, err := e.d.NewArena(4096)
	e.must(err)
	defer a.Close()
	b1, err := a.Alloc(3)
	e.must(err)
	mark := a.Mark()
	b2, err := a.Alloc(10)
	e.must(err)
	if uint64(b1.Ptr)%Align != 0 || uint64(b2.Ptr)%Align != 0 || b2.Ptr-b1.Ptr != Align {
		t.Errorf("allocations at %v and %v, want %d-byte alignment and no gap", b1.Ptr, b2.Ptr, Align)
	}
	a.Release(mark)
	b3, err := a.Alloc(10)
	e.must(err)
	if b3.Ptr != b2.Ptr {
		t.Errorf("after Release, allocation at %v, want %v", b3.Ptr, b2.Ptr)
	}
	if _, err := a.Alloc(2000); err == nil {
		t.Error("allocation beyond the arena succeeded")
	}
	a.Reset()
	if a.Used() != 0 {
		t.Errorf("used %d after Reset", a.Used())
	}
	// Round trip through the device.
	x := e.uniform(1000, -1, 1)
	e.compare("upload/download", e.down(e.up(x)), x, 0)
}

func TestLaunchChecks(t *testing.T) {
	e := newEnv(t)
	b := e.alloc(4)
	if err := e.d.Launch(e.s, "fill_f32", e.d.GridFor(4), b, 4, "x"); err == nil || !strings.Contains(err.Error(), "unsupported type") {
		t.Errorf("launch with a string argument: %v", err)
	}
	if err := e.d.Launch(e.s, "no_such_kernel", e.d.GridFor(4), b); err == nil || !strings.Contains(err.Error(), "cuModuleGetFunction") {
		t.Errorf("launch of a missing kernel: %v", err)
	}
	if err := e.s.Unary("relu", b, e.alloc(5)); err == nil {
		t.Error("unary on buffers of different lengths succeeded")
	}
	// Every kernel the wrappers use exists in the module.
	names := []string{"fill_f32", "copy_f32", "axpy_f32", "dropout_f32", "dropout_mask_f32",
		"bias_act_f32", "bias_act_backward_chan_f32", "bias_act_backward_rows_f32",
		"sum_axis_f32", "sum_last_f32", "sum_partial_f32", "max_axis_f32", "max_last_f32",
		"repeat_f32", "strided_copy_f32", "strided_add_f32", "slice_axis_f32",
		"slice_axis_add_f32", "concat_axis_f32", "gather_axis_f32", "scatter_add_axis_f32",
		"softmax_f32", "softmax_grad_f32", "log_softmax_f32", "log_softmax_grad_f32",
		"bce_logits_f32", "bce_logits_grad_f32", "adam_f32", "sgd_f32", "sgd_momentum_f32", "non_finite_f32", "bernoulli_mask_f32",
		"im2col_f32", "im2col_t_f32", "col2im_f32", "col2im_t_f32", "upsample2d_f32",
		"upsample2d_grad_f32"}
	for _, op := range UnaryOps {
		names = append(names, op+"_f32", op+"_grad_f32")
	}
	for _, op := range BinaryOps {
		names = append(names, op+"_f32", op+"_scalar_f32", op+"_rscalar_f32", op+"_bcast_f32")
	}
	for _, n := range names {
		if _, err := e.d.Function(n); err != nil {
			t.Error(err)
		}
	}
}

// refGemm computes C = alpha·op(A)·op(B) + beta·C row-major, in float64.
func refGemm(g Gemm, a, b, c []float32) []float32 {
	out := make([]float32, len(c))
	for i := range g.M {
		for j := range g.N {
			var s float64
			for k := range g.K {
				ai, bi := i*g.K+k, k*g.N+j
				if g.TransA {
					ai = k*g.M + i
				}
				if g.TransB {
					bi = j*g.K + k
				}
				s += f64(a[ai]) * f64(b[bi])
			}
			out[i*g.N+j] = float32(f64(g.Alpha)*s + f64(g.Beta)*f64(c[i*g.N+j]))
		}
	}
	return out
}

func TestGemm(t *testing.T) {
	e := newEnv(t)
	bl, err := e.d.OpenBlas()
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	t.Logf("cuBLAS %s, version %d", bl.Library, bl.Version)
	for _, ta := range []bool{false, true} {
		for _, tb := range []bool{false, true} {
			g := Gemm{M: 5, N: 7, K: 3, TransA: ta, TransB: tb, Alpha: 1.5, Beta: 0.5}
			what := fmt.Sprintf("gemm tA=%v tB=%v", ta, tb)
			a, b, c := e.uniform(g.M*g.K, -1, 1), e.uniform(g.K*g.N, -1, 1), e.uniform(g.M*g.N, -1, 1)
			bc := e.up(c)
			e.must(bl.Gemm(e.s, g, e.up(a), e.up(b), bc))
			e.compare(what, e.down(bc), refGemm(g, a, b, c), relTol)

			// Batch of 3 sharing A (stride 0).
			const batch = 3
			bs, cs := e.uniform(batch*g.K*g.N, -1, 1), e.uniform(batch*g.M*g.N, -1, 1)
			bcs := e.up(cs)
			e.must(bl.GemmStridedBatched(e.s, g, e.up(a), 0, e.up(bs), g.K*g.N, bcs, g.M*g.N, batch))
			var want []float32
			for i := range batch {
				want = append(want, refGemm(g, a, bs[i*g.K*g.N:(i+1)*g.K*g.N], cs[i*g.M*g.N:(i+1)*g.M*g.N])...)
			}
			e.compare(what+" batched", e.down(bcs), want, relTol)
		}
	}
}

func TestEvents(t *testing.T) {
	e := newEnv(t)
	start, err := e.d.NewEvent(true)
	e.must(err)
	defer start.Close()
	end, err := e.d.NewEvent(true)
	e.must(err)
	defer end.Close()
	b := e.alloc(1 << 20)
	e.must(start.Record(e.s))
	e.must(e.s.Fill(b, 1))
	e.must(end.Record(e.s))
	e.must(end.Synchronize())
	ms, err := start.Elapsed(end)
	e.must(err)
	if ms < 0 {
		t.Errorf("elapsed %v ms", ms)
	}
	s2, err := e.d.NewStream()
	e.must(err)
	defer s2.Close()
	e.must(s2.WaitEvent(end))
	e.must(s2.Synchronize())
}

// BenchmarkLaunch times queuing one small kernel (fill_f32 over 256
// values): each launch binding the context itself, or all of them inside
// one Stream.Bound as cuda/exec runs a training step.
func BenchmarkLaunch(b *testing.B) {
	d := OpenForTest(b)
	s, err := d.NewStream()
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a, err := d.NewArena(1 << 20)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	buf, err := a.Alloc(256)
	if err != nil {
		b.Fatal(err)
	}
	for _, bound := range []bool{false, true} {
		b.Run(map[bool]string{false: "each", true: "bound"}[bound], func(b *testing.B) {
			run := func() error {
				for range b.N {
					if err := s.Fill(buf, 1); err != nil {
						return err
					}
				}
				return nil
			}
			if bound {
				err = s.Bound(run)
			} else {
				err = run()
			}
			if err := errors.Join(err, s.Synchronize()); err != nil {
				b.Fatal(err)
			}
		})
	}
}
