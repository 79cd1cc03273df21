package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/eval/drift"
	"github.com/vigil-ml/vigil/eval/pushgateway"
	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/experiments/registry"
	"github.com/vigil-ml/vigil/experiments/retrain"
)

// exitKept is vigil retrain's status when the champion stays.
const exitKept = 3

func newRetrainCmd() *cobra.Command {
	var (
		o                    retrain.Options
		data, registryDSN    string
		pushURL              string
		psiWarn, psiAlarm    float64
		psiBins              int
		jsonOutput, minimize bool
	)
	cmd := &cobra.Command{
		Use:   "retrain [CONFIG] --champion DIR --metric KEY [--data NEW] [--test delong|mcnemar|bootstrap-ap [--alpha A]]",
		Short: "Train a challenger on new data and promote it over the served champion if it wins",
		Long: `Nightly retraining. Trains a challenger on a new data window (--data, or --set
keys; the champion's own config.json is the base unless CONFIG is given, which
must describe the same model), scores it and the champion on the new window's
held-out data, tests the inputs and the champion's scores for drift (PSI: 0.1
warns, 0.25 alarms; KS at alpha 0.01 warns), and promotes the challenger only
if it beats the champion by --margin on --metric and no PSI alarm blocks it.

With --test, the challenger must also be better by a paired statistical test
on both models' scoring of the same new-window rows, one-sided p < --alpha
(default 0.05): delong (ROC AUC, DeLong's test), mcnemar (accuracy of the
alarms at the deployed thresholds, exact) or bootstrap-ap (average precision,
paired stratified bootstrap). Both runs must then write holdout.json (ids,
labels, scores, alarms, threshold, optional probabilities), paired by id. When
the champion's holdout.json has probabilities, they (overall and per class)
are what is tested for drift instead of scores.json.

The champion DIR is what vigil serve --watch serves: promotion points it (a
symbolic link; a plain run directory is adopted as the first release) at the
challenger's run under DIR.releases/ and rewrites that run's VERSION file, so
the server reloads. Each decision is recorded in the run registry. The
challenger's run defaults to DIR.releases/<name>-<date>: running the same
night again resumes it and decides again, and a promoted challenger is not
trained twice.

Exit status: 0 promoted, 3 kept (the champion stays), 1 failed.`,
		Example: `  vigil retrain --champion /srv/models/hids --data /data/adfa/2026-11-30 --metric systems.1.auc
  vigil retrain sea.yaml --champion runs/prod --set data.path=/data/sea/week48 --metric model.auc --margin 0.005
  vigil retrain --champion runs/prod --data /data/new-window --metric model.auc --test delong --alpha 0.01
  vigil promote /srv/models/hids --rollback`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if data != "" {
				o.Sets = append([]string{"data.path=" + data}, o.Sets...)
			}
			if len(args) == 1 {
				o.Load = func(sets []string) (experiments.Config, error) { return loadConfig(args, sets) }
			}
			o.Minimize = minimize
			o.Drift.PSI = drift.PSIConfig{Bins: psiBins, Warn: psiWarn, Alarm: psiAlarm}
			reg, err := openRegistry(cmd.Context(), registryDSN)
			if err != nil {
				return err
			}
			if reg != nil {
				defer reg.Close()
			}
			o.Registry, o.Log, o.Progress = reg, newLogger(), cmd.ErrOrStderr()
			rep, err := retrain.Run(cmd.Context(), o)
			if pushURL != "" {
				if perr := pushRetrain(cmd.Context(), pushURL, o.Champion, rep, err); perr != nil {
					o.Log.Warn("pushgateway", "err", perr)
				}
			}
			if err != nil {
				return err
			}
			return reportDecision(cmd, rep, jsonOutput)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Champion, "champion", "", "the served model directory (required)")
	f.StringVar(&data, "data", "", "the new data window (sets data.path)")
	f.StringArrayVar(&o.Sets, "set", nil, "override a config key of the challenger (key=value, repeatable; not model.*)")
	f.StringVar(&o.Out, "out", "", "the challenger's run directory (default DIR.releases/<name>-<date>)")
	f.StringVar(&o.Metric, "metric", "", "metrics.json key the two are compared by, e.g. model.auc (required)")
	f.BoolVar(&minimize, "min", false, "lower values of --metric are better")
	f.Float64Var(&o.Margin, "margin", 0, "how much better the challenger must be")
	f.StringVar(&o.Test, "test", "", "also require a paired test on holdout.json to favour the challenger: delong, mcnemar or bootstrap-ap")
	f.Float64Var(&o.Alpha, "alpha", 0.05, "one-sided significance level of --test")
	driftFlags(cmd, &psiBins, &psiWarn, &psiAlarm, &o.Drift.KSAlpha)
	f.StringVar(&registryDSN, "registry", "", registryFlagHelp)
	f.StringVar(&pushURL, "pushgateway", os.Getenv("VIGIL_PUSHGATEWAY"), "push the outcome to this Prometheus Pushgateway (default $VIGIL_PUSHGATEWAY)")
	f.BoolVar(&jsonOutput, "json", false, "print the report as JSON")
	_ = cmd.MarkFlagRequired("champion")
	_ = cmd.MarkFlagRequired("metric")
	return cmd
}

// driftFlags declares the drift tests' flags of retrain and shadow.
func driftFlags(cmd *cobra.Command, bins *int, warn, alarm, ksAlpha *float64) {
	f := cmd.Flags()
	f.IntVar(bins, "psi-bins", 10, "PSI bins (10 to 30 is common)")
	f.Float64Var(warn, "psi-warn", 0.1, "PSI at which drift warns")
	f.Float64Var(alarm, "psi-alarm", 0.25, "PSI at which drift blocks the promotion")
	f.Float64Var(ksAlpha, "ks-alpha", 0.01, "KS significance level (KS warns only)")
}

// reportDecision prints a retraining's or shadow comparison's report
// (as JSON with asJSON) and returns exit status 3 when the champion stays.
func reportDecision(cmd *cobra.Command, rep retrain.Report, asJSON bool) error {
	if asJSON {
		b, _ := json.MarshalIndent(rep, "", "  ")
		fmt.Fprintln(cmd.OutOrStdout(), string(b))
	} else {
		printRetrain(cmd, rep)
	}
	if rep.Decision == retrain.Kept {
		return exitStatus{code: exitKept}
	}
	return nil
}

func printRetrain(cmd *cobra.Command, r retrain.Report) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s: %s\n", r.Decision, r.Reason)
	fmt.Fprintf(w, "champion   %s  %s %.4f\nchallenger %s  %s %.4f\n", r.ChampionDir, r.Metric, r.ChampionValue, r.ChallengerDir, r.Metric, r.ChallengerValue)
	// Drift tests that warn or alarm are listed; the rest are counted
	// (every result is in the JSON report and retrain.json).
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	ok := 0
	for _, d := range r.Drift {
		if d.Level == drift.LevelOK {
			ok++
			continue
		}
		p := "-"
		if d.Test == "ks" {
			p = fmt.Sprintf("%.3g", d.P)
		}
		fmt.Fprintf(tw, "drift %s\t%s\t%.4f\tp %s\t%s\n", d.Feature, d.Test, d.Value, p, d.Level)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d of %d drift tests ok\n", ok, len(r.Drift))
}

// pushRetrain sends the outcome to a Pushgateway (job vigil_retrain,
// grouped by the served directory's name).
func pushRetrain(ctx context.Context, url, champion string, r retrain.Report, runErr error) error {
	ok, promoted := 1.0, 0.0
	if runErr != nil {
		ok = 0
	}
	if r.Decision == retrain.Promoted {
		promoted = 1
	}
	ms := []pushgateway.Metric{
		{Name: "vigil_retrain_success", Help: "1 when the retraining ran to a decision", Value: ok},
		{Name: "vigil_retrain_promoted", Help: "1 when the challenger was promoted", Value: promoted},
		{Name: "vigil_retrain_duration_seconds", Help: "wall time of the retraining", Value: r.Seconds},
		{Name: "vigil_retrain_last_run_timestamp_seconds", Help: "when the retraining ended", Value: float64(time.Now().Unix())},
	}
	if runErr == nil {
		ms = append(ms,
			pushgateway.Metric{Name: "vigil_retrain_metric", Help: "the compared metric", Labels: map[string]string{"role": "champion", "metric": r.Metric}, Value: r.ChampionValue},
			pushgateway.Metric{Name: "vigil_retrain_metric", Help: "the compared metric", Labels: map[string]string{"role": "challenger", "metric": r.Metric}, Value: r.ChallengerValue})
		for _, d := range r.Drift {
			ms = append(ms, pushgateway.Metric{Name: "vigil_retrain_drift", Help: "drift statistic (PSI, or KS's D)",
				Labels: map[string]string{"feature": d.Feature, "test": d.Test}, Value: d.Value})
		}
	}
	return pushgateway.Push(ctx, url, "vigil_retrain", map[string]string{"model": filepath.Base(filepath.Clean(champion))}, ms)
}

func newPromoteCmd() *cobra.Command {
	var to, registryDSN, reason string
	var rollback bool
	cmd := &cobra.Command{
		Use:   "promote DIR (--to RUN_DIR | --rollback)",
		Short: "Point a served model directory at another release, or back at the previous one",
		Long: `Atomically point the served model directory DIR (a symbolic link; a plain run
directory is adopted as its first release) at RUN_DIR, or, with --rollback, at
the release it served before. vigil serve --watch reloads. The action is
recorded in the run registry.`,
		Example: `  vigil promote /srv/models/hids --rollback
  vigil promote /srv/models/hids --to /srv/models/hids.releases/nightly-20261129`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if rollback == (to != "") {
				return fmt.Errorf("give exactly one of --to RUN_DIR and --rollback")
			}
			var target string
			var err error
			action := registry.ActionRollback
			if rollback {
				target, err = retrain.Rollback(args[0])
			} else {
				action = registry.ActionPromote
				target, err = retrain.Promote(args[0], to)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s now serves %s\n", args[0], target)
			reg, err := openRegistry(cmd.Context(), registryDSN)
			if err != nil || reg == nil {
				return err
			}
			defer reg.Close()
			served, _ := filepath.Abs(args[0])
			if reason == "" {
				reason = fmt.Sprintf("%s by hand: %s", action, target)
			}
			_, err = reg.RecordPromotion(cmd.Context(), registry.Promotion{ModelDir: served, Action: action, Reason: reason})
			return err
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the release (a run directory) to serve")
	cmd.Flags().BoolVar(&rollback, "rollback", false, "serve the release served before the current one")
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the registry")
	cmd.Flags().StringVar(&registryDSN, "registry", "", registryFlagHelp)
	return cmd
}
