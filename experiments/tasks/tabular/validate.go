package tabular

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/vigil-ml/vigil/experiments/tasks"
)

// FromSections returns the protocol's decoded sections, every problem
// named by its key.
func FromSections(m map[string]any) (Config, error) {
	var c Config
	var err error
	get := func(dst any, name string) {
		if err != nil {
			return
		}
		switch d := dst.(type) {
		case **Protocol:
			*d, err = tasks.Section[Protocol](m, name)
		case **SVM:
			*d, err = tasks.Section[SVM](m, name)
		case **RF:
			*d, err = tasks.Section[RF](m, name)
		case **SMOTE:
			*d, err = tasks.Section[SMOTE](m, name)
		case **GSMOTE:
			*d, err = tasks.Section[GSMOTE](m, name)
		case **Linear:
			*d, err = tasks.Section[Linear](m, name)
		case **IForest:
			*d, err = tasks.Section[IForest](m, name)
		case **OCSVM:
			*d, err = tasks.Section[OCSVM](m, name)
		}
	}
	get(&c.Protocol, "protocol")
	get(&c.SVM, "svm")
	get(&c.RF, "rf")
	get(&c.SMOTE, "smote")
	get(&c.GSMOTE, "gsmote")
	get(&c.Linear, "linear")
	get(&c.IForest, "iforest")
	get(&c.OCSVM, "ocsvm")
	if err != nil {
		return c, err
	}
	return c, c.Validate()
}

// Validate reports every bad key.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	p := c.Protocol
	if len(p.Pipelines) == 0 {
		bad("protocol.pipelines: name at least one pipeline")
	}
	for _, s := range p.Pipelines {
		if _, err := ParsePipeline(s); err != nil {
			bad("protocol.pipelines: %w", err)
		}
	}
	if slices.Index(p.Pipelines, p.Deploy) < 0 && p.Deploy != "" {
		bad("protocol.deploy: %q is not one of protocol.pipelines", p.Deploy)
	}
	if p.OuterFolds < 2 || p.InnerFolds < 2 || p.Repeats < 1 {
		bad("protocol: outer_folds and inner_folds must be at least 2 and repeats at least 1 (got %d, %d, %d)", p.OuterFolds, p.InnerFolds, p.Repeats)
	}
	if !(p.Holdout > 0 && p.Holdout < 0.5) {
		bad("protocol.holdout: %v is not in (0, 0.5)", p.Holdout)
	}
	if !(p.TargetPrecision > 0 && p.TargetPrecision <= 1) {
		bad("protocol.target_precision: %v is not in (0, 1]", p.TargetPrecision)
	}
	if p.Resamples < 100 {
		bad("protocol.resamples: %d is fewer than 100", p.Resamples)
	}
	if !(p.Alpha > 0 && p.Alpha < 0.5) {
		bad("protocol.alpha: %v is not in (0, 0.5)", p.Alpha)
	}
	if p.Scale != "standard" && p.Scale != "none" {
		bad("protocol.scale: %q is not standard or none", p.Scale)
	}
	if p.Workers < 0 {
		bad("protocol.workers: %d is negative", p.Workers)
	}
	if c.SVM.Kernel != "rbf" && c.SVM.Kernel != "linear" {
		bad("svm.kernel: %q is not rbf or linear", c.SVM.Kernel)
	}
	positive(&errs, "svm.c", c.SVM.C, false)
	positive(&errs, "svm.gamma", c.SVM.Gamma, true)
	if c.SVM.Penalty != "ir" && c.SVM.Penalty != "ad" {
		bad("svm.penalty: %q is not ir or ad", c.SVM.Penalty)
	}
	if !(c.SVM.Tol > 0) {
		bad("svm.tol: %v must be positive", c.SVM.Tol)
	}
	if c.RF.Trees < 1 || c.RF.MinLeaf < 1 {
		bad("rf: trees and min_samples_leaf must be at least 1")
	}
	nonNegative(&errs, "rf.max_depth", c.RF.MaxDepth)
	nonNegative(&errs, "rf.max_features", c.RF.MaxFeatures)
	if c.RF.ClassWeight != "none" && c.RF.ClassWeight != "balanced" {
		bad("rf.class_weight: %q is not none or balanced", c.RF.ClassWeight)
	}
	atLeastOne(&errs, "smote.k_neighbors", c.SMOTE.K)
	for key, rs := range map[string][]float64{"smote.ratio": c.SMOTE.Ratio, "gsmote.ratio": c.GSMOTE.Ratio} {
		if len(rs) == 0 {
			bad("%s: give at least one value", key)
		}
		for _, r := range rs {
			if !(r > 0 && r <= 1) {
				bad("%s: %v is not in (0, 1]", key, r)
			}
		}
	}
	atLeastOne(&errs, "gsmote.k_neighbors", c.GSMOTE.K)
	for _, t := range c.GSMOTE.Truncation {
		if !(t >= -1 && t <= 1) {
			bad("gsmote.truncation_factor: %v is not in [-1, 1]", t)
		}
	}
	for _, d := range c.GSMOTE.Deformation {
		if !(d >= 0 && d <= 1) {
			bad("gsmote.deformation_factor: %v is not in [0, 1]", d)
		}
	}
	for _, s := range c.GSMOTE.Selection {
		if s != "minority" && s != "majority" && s != "combined" {
			bad("gsmote.selection_strategy: %q is not minority, majority or combined", s)
		}
	}
	if len(c.GSMOTE.Truncation) == 0 || len(c.GSMOTE.Deformation) == 0 || len(c.GSMOTE.Selection) == 0 {
		bad("gsmote: truncation_factor, deformation_factor and selection_strategy need at least one value")
	}
	if c.Linear.Epochs < 1 || c.Linear.BatchSize < 1 || !(c.Linear.LR > 0) {
		bad("linear: epochs, batch_size and lr must be positive")
	}
	positive(&errs, "linear.l2", c.Linear.L2, true)
	if c.Linear.Penalty != "none" && c.Linear.Penalty != "ir" {
		bad("linear.penalty: %q is not none or ir", c.Linear.Penalty)
	}
	if c.IForest.Trees < 1 {
		bad("iforest.trees: %d is fewer than 1", c.IForest.Trees)
	}
	nonNegative(&errs, "iforest.max_samples", c.IForest.MaxSamples)
	for _, nu := range c.OCSVM.Nu {
		if !(nu > 0 && nu <= 1) {
			bad("ocsvm.nu: %v is not in (0, 1]", nu)
		}
	}
	if len(c.OCSVM.Nu) == 0 {
		bad("ocsvm.nu: give at least one value")
	}
	positive(&errs, "ocsvm.gamma", c.OCSVM.Gamma, true)
	return errors.Join(errs...)
}

func positive(errs *[]error, key string, xs []float64, zeroOK bool) {
	if len(xs) == 0 {
		*errs = append(*errs, fmt.Errorf("%s: give at least one value", key))
	}
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || (x == 0 && !zeroOK) {
			*errs = append(*errs, fmt.Errorf("%s: %v must be finite and positive", key, x))
		}
	}
}

func nonNegative(errs *[]error, key string, xs []int) {
	if len(xs) == 0 {
		*errs = append(*errs, fmt.Errorf("%s: give at least one value", key))
	}
	for _, x := range xs {
		if x < 0 {
			*errs = append(*errs, fmt.Errorf("%s: %d is negative", key, x))
		}
	}
}

func atLeastOne(errs *[]error, key string, xs []int) {
	if len(xs) == 0 {
		*errs = append(*errs, fmt.Errorf("%s: give at least one value", key))
	}
	for _, x := range xs {
		if x < 1 {
			*errs = append(*errs, fmt.Errorf("%s: %d is fewer than 1", key, x))
		}
	}
}

// DeployName is the deployed pipeline's name.
func (p *Protocol) DeployName() string {
	if p.Deploy != "" {
		return p.Deploy
	}
	return p.Pipelines[0]
}
