package selftest

import (
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/cuda/exec"
	"github.com/vigil-ml/vigil/models/convvae"
	"github.com/vigil-ml/vigil/models/ipinsights"
	"github.com/vigil-ml/vigil/models/linear"
	"github.com/vigil-ml/vigil/models/lstm"
	"github.com/vigil-ml/vigil/models/vaegan"
)

// faulty is the CPU backend with one primitive made wrong.
type faulty struct {
	exec.Backend
	gemm     float32 // relative error added to every Gemm (0: none)
	biasGrad float32 // relative error added to every bias gradient (0: none)
	expNaN   bool    // Unary("exp") returns NaN
	adam     float64 // relative error of every Adam step size (0: none)
	finite   bool    // NonFinite always flags a non-finite value
}

func (f *faulty) Gemm(tA, tB bool, m, n, k int, alpha float32, a exec.Buf, lda int, b exec.Buf, ldb int, beta float32, c exec.Buf, ldc int) error {
	return f.Backend.Gemm(tA, tB, m, n, k, alpha*(1+f.gemm), a, lda, b, ldb, beta, c, ldc)
}

func (f *faulty) BiasActBackward(dz, db, y, dy exec.Buf, n, c, inner, act int) error {
	if err := f.Backend.BiasActBackward(dz, db, y, dy, n, c, inner, act); err != nil || f.biasGrad == 0 {
		return err
	}
	v := make([]float32, db.Len)
	if err := f.Download(v, db); err != nil {
		return err
	}
	for i := range v {
		v[i] *= 1 + f.biasGrad
	}
	return f.Upload(db, v)
}

func (f *faulty) Unary(op string, y, x exec.Buf, n int) error {
	if op == "exp" && f.expNaN {
		return f.Fill(y, n, float32(math.NaN()))
	}
	return f.Backend.Unary(op, y, x, n)
}

func (f *faulty) Adam(p, m, v, g exec.Buf, n int, lrT, beta1, beta2, eps float64) error {
	return f.Backend.Adam(p, m, v, g, n, lrT*(1+f.adam), beta1, beta2, eps)
}

func (f *faulty) NonFinite(flag, x exec.Buf, n int) error {
	if f.finite {
		return f.Fill(flag, 1, 1)
	}
	return f.Backend.NonFinite(flag, x, n)
}

// check runs Check on f wrapping a fresh CPU backend.
func check(f *faulty) error {
	return Check(func() (exec.Backend, error) {
		f.Backend = exec.NewCPUBackend()
		return f, nil
	}, probe)
}

func TestCheckPassesOnTheCPUBackend(t *testing.T) {
	start := time.Now()
	if err := Check(func() (exec.Backend, error) { return exec.NewCPUBackend(), nil }, probe, lstmProbe, ipProbe, vaeganProbe, linearProbe); err != nil {
		t.Fatal(err)
	}
	if err := check(&faulty{}); err != nil {
		t.Fatalf("the pass-through wrapper: %v", err)
	}
	t.Logf("two checks in %v", time.Since(start))
}

func TestCheckNamesAWrongGradient(t *testing.T) {
	// Only the bias gradients are off: the loss agrees.
	err := check(&faulty{biasGrad: 0.01})
	if err == nil || !strings.Contains(err.Error(), "step 1: gradient of enc1.b differs from the CPU reference by") || !strings.Contains(err.Error(), "0.01") {
		t.Fatalf("bias gradients 1%% off: %v", err)
	}
}

// A 1% error in every matrix product shows in the gradients.
func TestCheckCatchesASmallGemmError(t *testing.T) {
	err := check(&faulty{gemm: 1e-2})
	if err == nil || !regexp.MustCompile(`step 1: (loss|gradient of [a-z_0-9]+\.[Wb]) differs from the CPU reference`).MatchString(err.Error()) {
		t.Fatalf("SGEMM 1%% off: %v", err)
	}
	t.Log(err)
}

func TestCheckCatchesNonFiniteValues(t *testing.T) {
	err := check(&faulty{expNaN: true})
	if err == nil || !strings.Contains(err.Error(), "step 1: loss[0] is NaN") {
		t.Fatalf("exp returning NaN: %v", err)
	}
}

func TestCheckNamesAWrongUpdate(t *testing.T) {
	// The loss and the gradients agree; the parameters move 1% too far.
	err := check(&faulty{adam: 0.01})
	if err == nil || !strings.Contains(err.Error(), "step 1: update of enc1.W differs from the CPU reference by") {
		t.Fatalf("Adam 1%% off: %v", err)
	}
	if err := check(&faulty{finite: true}); err == nil || !strings.Contains(err.Error(), "step 1: the update was not applied") {
		t.Fatalf("a non-finite check that always fires: %v", err)
	}
}

func TestCheckReportsABackendThatCannotStart(t *testing.T) {
	no := errors.New("no device")
	if err := Check(func() (exec.Backend, error) { return nil, no }, probe); !errors.Is(err, no) {
		t.Fatalf("err = %v", err)
	}
}

// probe is the ConvVAE's: its ops are the ones the kernels were first written for.
var probe = convvae.Family{}.Probe()

// lstmProbe is the LSTM language model's: embedding, LSTM and softmax
// cross-entropy on int32 ids.
var lstmProbe = lstm.Family{}.Probe()

// ipProbe is IP Insights': gradients of gathered vectors, tanh encoder
// layers, row dot products and BCE with per-row weights.
var ipProbe = ipinsights.Family{}.Probe()

// vaeganProbe is the VAE-GAN's encoder/decoder update: LSTMs on float
// windows, the last state sliced, z repeated by concatenation, the
// reparameterization, KL and BCE terms, gradients of a parameter subset.
var vaeganProbe = vaegan.Family{}.Probe()

// linearProbe is the class-weighted hinge-loss linear model's: matmul,
// bias, ReLU of the margin, per-row weights and an L2 term.
var linearProbe = linear.Family{}.Probe()
