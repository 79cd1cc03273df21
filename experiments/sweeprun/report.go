package sweeprun

import "github.com/vigil-ml/vigil/experiments/sweep"

// writeReport writes the sweep's report.html into out.
func writeReport(out string, spec Spec, space *sweep.Space, trials []sweep.Trial) error {
	return nil
}
