package tabular

// Protocol is the protocol: section: which pipelines are compared and how
// they are estimated, and how the deployed one is chosen and thresholded.
type Protocol struct {
	// Pipelines are compared in the ablation table, each "[sampler+]classifier"
	// with sampler smote or gsmote and classifier svm (one penalty for both
	// classes), biased-svm (per-class penalties, svm.penalty), rf, linear
	// (a class-weighted hinge-loss graph model; runs on the GPU path),
	// iforest or ocsvm (one-class: trained on the normal rows only).
	Pipelines []string `mapstructure:"pipelines" json:"pipelines"`
	// Deploy is the pipeline fitted on all development data, thresholded
	// on the hold-out and saved; "" = the first of Pipelines.
	Deploy string `mapstructure:"deploy" json:"deploy"`
	// OuterFolds, InnerFolds and Repeats shape the nested cross-validation.
	OuterFolds int `mapstructure:"outer_folds" json:"outer_folds"`
	InnerFolds int `mapstructure:"inner_folds" json:"inner_folds"`
	Repeats    int `mapstructure:"repeats" json:"repeats"`
	// Holdout is the share of groups held out for the threshold and the
	// deployed model's evaluation (0 < holdout < 0.5).
	Holdout float64 `mapstructure:"holdout" json:"holdout"`
	// TargetPrecision is the precision the alarm threshold must reach on
	// the hold-out's PR curve (the threshold with the highest recall that
	// does).
	TargetPrecision float64 `mapstructure:"target_precision" json:"target_precision"`
	// Resamples and Alpha set the stratified bootstrap intervals (1-Alpha).
	Resamples int     `mapstructure:"resamples" json:"resamples"`
	Alpha     float64 `mapstructure:"alpha" json:"alpha"`
	// Scale standardises every feature on the training part of each fit
	// (mean 0, variance 1) before sampling and fitting: "standard" or "none".
	Scale string `mapstructure:"scale" json:"scale"`
	// Workers fit outer folds side by side (0 = one per CPU core). Results
	// do not depend on it.
	Workers int `mapstructure:"workers" json:"workers"`
}

// SVM is the svm: section, for the svm and biased-svm classifiers. Lists
// are grids searched by the inner folds.
type SVM struct {
	Kernel string    `mapstructure:"kernel" json:"kernel"` // rbf | linear
	C      []float64 `mapstructure:"c" json:"c"`
	// Gamma of the RBF kernel; 0 is scikit-learn's "scale", 1/(d Var X).
	Gamma []float64 `mapstructure:"gamma" json:"gamma"`
	// Penalty sets biased-svm's per-class penalties from C on the rows
	// it is fitted on (after oversampling): ir (C+ = C n/(2 n+), C- =
	// C n/(2 n-), inverse class sizes, which a fully balancing sampler
	// makes equal) or ad (each class's count over its average
	// k-nearest-neighbour density, svm.ClassWeightsAD; the default, since
	// it still tells synthetic positives from real negatives).
	Penalty string  `mapstructure:"penalty" json:"penalty"`
	Tol     float64 `mapstructure:"tol" json:"tol"`
}

// RF is the rf: section (random forest).
type RF struct {
	Trees int `mapstructure:"trees" json:"trees"`
	// MaxDepth and MaxFeatures are grids; 0 = unlimited and sqrt(d).
	MaxDepth    []int  `mapstructure:"max_depth" json:"max_depth"`
	MaxFeatures []int  `mapstructure:"max_features" json:"max_features"`
	ClassWeight string `mapstructure:"class_weight" json:"class_weight"` // none | balanced
	MinLeaf     int    `mapstructure:"min_samples_leaf" json:"min_samples_leaf"`
}

// SMOTE is the smote: section.
type SMOTE struct {
	K []int `mapstructure:"k_neighbors" json:"k_neighbors"`
	// Ratio is the positives' count after oversampling over the
	// negatives' (imbalanced-learn's float sampling_strategy); 1 balances.
	Ratio []float64 `mapstructure:"ratio" json:"ratio"`
}

// GSMOTE is the gsmote: section: Geometric SMOTE's settings, each a grid.
type GSMOTE struct {
	K           []int     `mapstructure:"k_neighbors" json:"k_neighbors"`
	Truncation  []float64 `mapstructure:"truncation_factor" json:"truncation_factor"`
	Deformation []float64 `mapstructure:"deformation_factor" json:"deformation_factor"`
	Selection   []string  `mapstructure:"selection_strategy" json:"selection_strategy"`
	Ratio       []float64 `mapstructure:"ratio" json:"ratio"` // as smote.ratio
}

// Linear is the linear: section: the class-weighted hinge-loss model
// trained as a graph (on the experiment's device).
type Linear struct {
	Epochs    int       `mapstructure:"epochs" json:"epochs"`
	BatchSize int       `mapstructure:"batch_size" json:"batch_size"`
	LR        float64   `mapstructure:"lr" json:"lr"`
	L2        []float64 `mapstructure:"l2" json:"l2"`
	Penalty   string    `mapstructure:"penalty" json:"penalty"` // none | ir
}

// IForest is the iforest: section (isolation forest).
type IForest struct {
	Trees      int   `mapstructure:"trees" json:"trees"`
	MaxSamples []int `mapstructure:"max_samples" json:"max_samples"` // 0 = min(256, n)
}

// OCSVM is the ocsvm: section (one-class SVM, RBF kernel).
type OCSVM struct {
	Nu    []float64 `mapstructure:"nu" json:"nu"`
	Gamma []float64 `mapstructure:"gamma" json:"gamma"` // 0 = "scale"
}

// Sections are the protocol's config sections with their defaults, by key;
// a task adds its own (data:, features: ...).
func Sections() map[string]any {
	return map[string]any{
		"protocol": &Protocol{
			Pipelines:  []string{"gsmote+biased-svm", "smote+biased-svm", "gsmote+svm", "smote+rf", "svm"},
			OuterFolds: 10, InnerFolds: 3, Repeats: 1, Holdout: 0.2, TargetPrecision: 0.8,
			Resamples: 1000, Alpha: 0.05, Scale: "standard",
		},
		"svm":     &SVM{Kernel: "rbf", C: []float64{1, 10, 100}, Gamma: []float64{0}, Penalty: "ad", Tol: 1e-3},
		"rf":      &RF{Trees: 100, MaxDepth: []int{0}, MaxFeatures: []int{0}, ClassWeight: "balanced", MinLeaf: 1},
		"smote":   &SMOTE{K: []int{5}, Ratio: []float64{1}},
		"gsmote":  &GSMOTE{K: []int{5}, Truncation: []float64{1.0}, Deformation: []float64{0.0}, Selection: []string{"combined"}, Ratio: []float64{1}},
		"linear":  &Linear{Epochs: 60, BatchSize: 64, LR: 1e-2, L2: []float64{1e-3}, Penalty: "ir"},
		"iforest": &IForest{Trees: 100, MaxSamples: []int{0}},
		"ocsvm":   &OCSVM{Nu: []float64{0.05, 0.2}, Gamma: []float64{0}},
	}
}

// Config is the protocol's decoded sections.
type Config struct {
	Protocol *Protocol
	SVM      *SVM
	RF       *RF
	SMOTE    *SMOTE
	GSMOTE   *GSMOTE
	Linear   *Linear
	IForest  *IForest
	OCSVM    *OCSVM
}
