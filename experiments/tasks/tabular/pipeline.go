package tabular

import (
	"fmt"
	"strconv"
	"strings"
)

// Pipeline is an optional oversampler followed by a classifier.
type Pipeline struct {
	Name       string
	Sampler    string // "", smote or gsmote
	Classifier string // svm, biased-svm, rf, linear, iforest or ocsvm
}

// OneClass reports whether the classifier learns the normal rows only.
func (p Pipeline) OneClass() bool { return p.Classifier == "iforest" || p.Classifier == "ocsvm" }

var classifiers = []string{"svm", "biased-svm", "rf", "linear", "iforest", "ocsvm"}

// ParsePipeline reads "[sampler+]classifier".
func ParsePipeline(s string) (Pipeline, error) {
	p := Pipeline{Name: s}
	parts := strings.Split(s, "+")
	switch len(parts) {
	case 1:
		p.Classifier = parts[0]
	case 2:
		p.Sampler, p.Classifier = parts[0], parts[1]
	default:
		return p, fmt.Errorf("%q: a pipeline is [sampler+]classifier", s)
	}
	known := false
	for _, c := range classifiers {
		known = known || c == p.Classifier
	}
	if !known {
		return p, fmt.Errorf("%q: classifier %q is not one of %s", s, p.Classifier, strings.Join(classifiers, ", "))
	}
	if p.Sampler != "" && p.Sampler != "smote" && p.Sampler != "gsmote" {
		return p, fmt.Errorf("%q: sampler %q is not smote or gsmote", s, p.Sampler)
	}
	if p.Sampler != "" && p.OneClass() {
		return p, fmt.Errorf("%q: a one-class classifier learns the normal rows only; oversampling the anomalies would not reach it", s)
	}
	return p, nil
}

// Params are one point of a pipeline's grid: the sampler's and the
// classifier's settings (fields the pipeline does not use stay zero).
type Params struct {
	K           int     `json:"k_neighbors,omitempty"`
	Ratio       float64 `json:"ratio,omitempty"`
	Truncation  float64 `json:"truncation_factor,omitempty"`
	Deformation float64 `json:"deformation_factor,omitempty"`
	Selection   string  `json:"selection_strategy,omitempty"`
	C           float64 `json:"c,omitempty"`
	Gamma       float64 `json:"gamma,omitempty"`
	MaxDepth    int     `json:"max_depth,omitempty"`
	MaxFeatures int     `json:"max_features,omitempty"`
	L2          float64 `json:"l2,omitempty"`
	MaxSamples  int     `json:"max_samples,omitempty"`
	Nu          float64 `json:"nu,omitempty"`
}

// Describe names the settings p uses, for tables.
func (p Params) Describe(pipe Pipeline) string {
	var out []string
	add := func(k string, v any) { out = append(out, fmt.Sprintf("%s=%v", k, v)) }
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	switch pipe.Sampler {
	case "smote":
		add("k", p.K)
		add("ratio", f(p.Ratio))
	case "gsmote":
		add("k", p.K)
		add("ratio", f(p.Ratio))
		add("trunc", f(p.Truncation))
		add("deform", f(p.Deformation))
		add("sel", p.Selection)
	}
	gamma := func() {
		if p.Gamma == 0 {
			add("gamma", "scale")
		} else {
			add("gamma", f(p.Gamma))
		}
	}
	switch pipe.Classifier {
	case "svm", "biased-svm":
		add("C", f(p.C))
		gamma()
	case "rf":
		add("depth", p.MaxDepth)
		add("features", p.MaxFeatures)
	case "linear":
		add("l2", f(p.L2))
	case "iforest":
		add("samples", p.MaxSamples)
	case "ocsvm":
		add("nu", f(p.Nu))
		gamma()
	}
	return strings.Join(out, " ")
}

// Candidates is the pipeline's grid: every combination of its sampler's
// and its classifier's listed values.
func (c Config) Candidates(pipe Pipeline) []Params {
	out := []Params{{}}
	grow := func(n int, set func(p *Params, i int)) {
		var next []Params
		for _, p := range out {
			for i := 0; i < n; i++ {
				q := p
				set(&q, i)
				next = append(next, q)
			}
		}
		out = next
	}
	switch pipe.Sampler {
	case "smote":
		grow(len(c.SMOTE.K), func(p *Params, i int) { p.K = c.SMOTE.K[i] })
		grow(len(c.SMOTE.Ratio), func(p *Params, i int) { p.Ratio = c.SMOTE.Ratio[i] })
	case "gsmote":
		g := c.GSMOTE
		grow(len(g.K), func(p *Params, i int) { p.K = g.K[i] })
		grow(len(g.Ratio), func(p *Params, i int) { p.Ratio = g.Ratio[i] })
		grow(len(g.Truncation), func(p *Params, i int) { p.Truncation = g.Truncation[i] })
		grow(len(g.Deformation), func(p *Params, i int) { p.Deformation = g.Deformation[i] })
		grow(len(g.Selection), func(p *Params, i int) { p.Selection = g.Selection[i] })
	}
	switch pipe.Classifier {
	case "svm", "biased-svm":
		grow(len(c.SVM.C), func(p *Params, i int) { p.C = c.SVM.C[i] })
		if c.SVM.Kernel == "rbf" {
			grow(len(c.SVM.Gamma), func(p *Params, i int) { p.Gamma = c.SVM.Gamma[i] })
		}
	case "rf":
		grow(len(c.RF.MaxDepth), func(p *Params, i int) { p.MaxDepth = c.RF.MaxDepth[i] })
		grow(len(c.RF.MaxFeatures), func(p *Params, i int) { p.MaxFeatures = c.RF.MaxFeatures[i] })
	case "linear":
		grow(len(c.Linear.L2), func(p *Params, i int) { p.L2 = c.Linear.L2[i] })
	case "iforest":
		grow(len(c.IForest.MaxSamples), func(p *Params, i int) { p.MaxSamples = c.IForest.MaxSamples[i] })
	case "ocsvm":
		grow(len(c.OCSVM.Nu), func(p *Params, i int) { p.Nu = c.OCSVM.Nu[i] })
		grow(len(c.OCSVM.Gamma), func(p *Params, i int) { p.Gamma = c.OCSVM.Gamma[i] })
	}
	return out
}
