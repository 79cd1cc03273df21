package cli

import (
	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/eval/drift"
	"github.com/vigil-ml/vigil/experiments/retrain"
)

func newShadowCmd() *cobra.Command {
	var (
		s                    retrain.ShadowOptions
		data, registryDSN    string
		psiWarn, psiAlarm    float64
		psiBins              int
		jsonOutput, minimize bool
	)
	cmd := &cobra.Command{
		Use:   "shadow --champion DIR --candidate RUN --metric KEY --test delong|mcnemar|bootstrap-ap [--data TRAFFIC]",
		Short: "Score the same traffic with a candidate beside the served champion; promote it only if statistically better",
		Long: `Shadow deployment. A candidate (a finished run: a sweep's best trial, another
pipeline, a model retrained elsewhere) scores the same traffic as the served
champion without serving it: the candidate's config with --data (data.path)
or --set keys describes the traffic, both saved models score its held-out rows
(vigil eval's rescoring, nothing is trained), the inputs and the champion's
outputs (class probabilities where the models have them) are tested for drift,
and the paired --test runs on both models' holdout.json, matched row by row.
The candidate replaces the champion only if it beats it by --margin on
--metric, the test's one-sided p is below --alpha and no PSI alarm fires; it
is then copied to DIR.releases/ and served from there (vigil promote
--rollback returns to the champion). Both scorings and shadow.json go to
--out (default DIR.releases/shadow-<date>-<time>).

Exit status: 0 promoted, 3 kept (the champion stays), 1 failed.`,
		Example: `  vigil shadow --champion /srv/models/miner --candidate runs/miner_sweep/trial-0007 \
      --set data.path=/data/events/2026-11-30.jsonl --metric deployed.holdout.pr_auc.point --test delong`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if data != "" {
				s.Sets = append([]string{"data.path=" + data}, s.Sets...)
			}
			s.Minimize = minimize
			s.Drift.PSI = drift.PSIConfig{Bins: psiBins, Warn: psiWarn, Alarm: psiAlarm}
			reg, err := openRegistry(cmd.Context(), registryDSN)
			if err != nil {
				return err
			}
			if reg != nil {
				defer reg.Close()
			}
			s.Options.Registry, s.Options.Log, s.Options.Progress = reg, newLogger(), cmd.ErrOrStderr()
			rep, err := retrain.Shadow(cmd.Context(), s)
			if err != nil {
				return err
			}
			return reportDecision(cmd, rep, jsonOutput)
		},
	}
	f := cmd.Flags()
	f.StringVar(&s.Champion, "champion", "", "the served model directory (required)")
	f.StringVar(&s.Candidate, "candidate", "", "the candidate's run directory (required)")
	f.StringVar(&data, "data", "", "the traffic (sets data.path)")
	f.StringArrayVar(&s.Sets, "set", nil, "override a config key of the traffic (key=value, repeatable)")
	f.StringVar(&s.Out, "out", "", "where both scorings go (default DIR.releases/shadow-<date>-<time>)")
	f.StringVar(&s.Metric, "metric", "", "metrics.json key the two are compared by (required)")
	f.BoolVar(&minimize, "min", false, "lower values of --metric are better")
	f.Float64Var(&s.Margin, "margin", 0, "how much better the candidate must be")
	f.StringVar(&s.Test, "test", "", "the paired test on holdout.json: delong, mcnemar or bootstrap-ap (required)")
	f.Float64Var(&s.Alpha, "alpha", 0.05, "one-sided significance level of --test")
	driftFlags(cmd, &psiBins, &psiWarn, &psiAlarm, &s.Drift.KSAlpha)
	f.StringVar(&registryDSN, "registry", "", registryFlagHelp)
	f.BoolVar(&jsonOutput, "json", false, "print the report as JSON")
	for _, name := range []string{"champion", "candidate", "metric", "test"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}
