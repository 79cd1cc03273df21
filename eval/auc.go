package eval

// ROCAUC returns the area under the ROC curve of scores against labels by the
// trapezoid rule over ROC's points. This equals the Mann-Whitney statistic:
// the fraction of (positive, negative) pairs in which the positive scores
// higher, a tie counting 1/2. Errors are those of ROC.
func ROCAUC(scores []float64, labels []bool) (float64, error) {
	pts, err := ROC(scores, labels)
	if err != nil {
		return 0, err
	}
	return AUCFromROC(pts), nil
}

// AUCFromROC returns the trapezoid area under points, which must be ordered
// by non-decreasing FPR as ROC returns them. Fewer than two points give 0.
func AUCFromROC(points []ROCPoint) float64 {
	area := 0.0
	for i := 1; i < len(points); i++ {
		a, b := points[i-1], points[i]
		area += (b.FPR - a.FPR) * (a.TPR + b.TPR) / 2
	}
	return area
}
