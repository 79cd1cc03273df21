package ocsvm

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vigil-ml/vigil/models/internal/jsondoc"
	"github.com/vigil-ml/vigil/models/svm"
)

// ErrFormat is wrapped by the errors of MarshalJSON and UnmarshalJSON: a
// model that cannot be written (untrained, or holding a NaN or infinity)
// or a document that is not a valid saved model.
var ErrFormat = errors.New("invalid model document")

// modelFormat names and versions the document of a Model.
const modelFormat = "vigil.ocsvm/1"

// modelJSON is the saved Model: what Decision needs, and the solver's
// statistics. The kernel is stored resolved (γ of "scale", degree 3).
type modelJSON struct {
	Format      string      `json:"format"`
	Kernel      string      `json:"kernel"` // svm.KernelType.String
	Gamma       float64     `json:"gamma"`
	Degree      int         `json:"degree"`
	Coef0       float64     `json:"coef0"`
	NumFeatures int         `json:"num_features"`
	Nu          float64     `json:"nu"`
	Support     []int       `json:"support"` // training rows, ascending
	SV          [][]float64 `json:"support_vectors"`
	DualCoef    []float64   `json:"dual_coef"`
	Rho         float64     `json:"rho"`
	Objective   float64     `json:"objective"`
	Iterations  int         `json:"iterations"`
	Converged   bool        `json:"converged"`
}

// modelRequired are the keys every document holds.
var modelRequired = []string{"format", "kernel", "gamma", "degree", "coef0", "num_features", "nu", "support",
	"support_vectors", "dual_coef", "rho", "objective", "iterations", "converged"}

// MarshalJSON writes the model as a versioned JSON document (format
// "vigil.ocsvm/1") from which UnmarshalJSON restores a model with
// bit-identical outputs. It returns an error wrapping ErrFormat for an
// untrained model or one holding a NaN or infinity.
func (m *Model) MarshalJSON() ([]byte, error) {
	if m == nil {
		return nil, fmt.Errorf("ocsvm: %w: nil model", ErrFormat)
	}
	j := modelJSON{
		Format: modelFormat, Kernel: m.kernel.Type.String(), Gamma: m.kernel.Gamma, Degree: m.kernel.Degree,
		Coef0: m.kernel.Coef0, NumFeatures: m.d, Nu: m.nu, Support: append([]int{}, m.index...),
		SV: make([][]float64, len(m.coef)), DualCoef: append([]float64{}, m.coef...), Rho: m.rho,
		Objective: m.obj, Iterations: m.iter, Converged: m.converged,
	}
	for k := range j.SV {
		if m.d > 0 && len(m.sv) >= (k+1)*m.d {
			j.SV[k] = m.sv[k*m.d : (k+1)*m.d]
		}
	}
	if err := j.check(); err != nil {
		return nil, fmt.Errorf("ocsvm: %w: %w", ErrFormat, err)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a document MarshalJSON wrote. It checks the format,
// that every key is present and known and no value null, and that the
// shapes and values are consistent; on any error, wrapping ErrFormat, the
// model is left unchanged. A null document is an error too.
func (m *Model) UnmarshalJSON(b []byte) error {
	var j modelJSON
	if err := jsondoc.Decode(b, modelFormat, modelRequired, &j); err != nil {
		return fmt.Errorf("ocsvm: %w: %w", ErrFormat, err)
	}
	if err := j.check(); err != nil {
		return fmt.Errorf("ocsvm: %w: %w", ErrFormat, err)
	}
	t, _ := parseKernelType(j.Kernel)
	out := Model{
		kernel: svm.Kernel{Type: t, Gamma: j.Gamma, Degree: j.Degree, Coef0: j.Coef0}, d: j.NumFeatures, nu: j.Nu,
		sv: make([]float64, 0, len(j.SV)*j.NumFeatures), index: j.Support, coef: j.DualCoef, rho: j.Rho,
		obj: j.Objective, iter: j.Iterations, converged: j.Converged,
	}
	for _, row := range j.SV {
		out.sv = append(out.sv, row...)
	}
	*m = out
	return nil
}

// check reports the first inconsistency of a document, naming its key.
func (j *modelJSON) check() error {
	t, ok := parseKernelType(j.Kernel)
	if !ok {
		return fmt.Errorf("kernel %q, want rbf, linear or poly", j.Kernel)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"gamma", j.Gamma}, {"coef0", j.Coef0}, {"nu", j.Nu}, {"rho", j.Rho}, {"objective", j.Objective}} {
		if err := jsondoc.Finite(f.name, f.v); err != nil {
			return err
		}
	}
	switch {
	case j.NumFeatures < 1:
		return fmt.Errorf("num_features %d, want ≥ 1", j.NumFeatures)
	case t != svm.Linear && !(j.Gamma > 0):
		return fmt.Errorf("gamma %v, want > 0 for the %v kernel", j.Gamma, t)
	case j.Gamma < 0:
		return fmt.Errorf("gamma %v, want ≥ 0", j.Gamma)
	case t == svm.Poly && j.Degree < 1, j.Degree < 0:
		return fmt.Errorf("degree %d, want ≥ 1 for poly, ≥ 0 otherwise", j.Degree)
	case !(j.Nu > 0 && j.Nu <= 1):
		return fmt.Errorf("nu %v, want in (0, 1]", j.Nu)
	case j.Iterations < 0:
		return fmt.Errorf("iterations %d, want ≥ 0", j.Iterations)
	case len(j.SV) != len(j.DualCoef) || len(j.Support) != len(j.DualCoef):
		return fmt.Errorf("%d support_vectors, %d dual_coef and %d support, want equal counts", len(j.SV), len(j.DualCoef), len(j.Support))
	}
	return jsondoc.SupportVectors(j.SV, j.DualCoef, j.Support, j.NumFeatures)
}

// parseKernelType inverts svm.KernelType.String.
func parseKernelType(s string) (svm.KernelType, bool) {
	return jsondoc.ByName(s, svm.RBF, svm.Linear, svm.Poly)
}
