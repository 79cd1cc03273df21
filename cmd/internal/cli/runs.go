package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/experiments/registry"
)

// sqliteFile returns the file a SQLite DSN names ("path", "sqlite:///abs",
// "sqlite://rel", "file:path?query"), or "" for PostgreSQL DSNs.
func sqliteFile(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return ""
	}
	p := strings.TrimPrefix(dsn, "sqlite://")
	if rest, ok := strings.CutPrefix(p, "file:"); ok {
		p, _, _ = strings.Cut(rest, "?")
	}
	return p
}

// openRecordedRegistry opens the registry at dsn for reading. A SQLite
// file that does not exist is an error (Open would create an empty one).
func openRecordedRegistry(ctx context.Context, dsn string) (*registry.Registry, error) {
	if file := sqliteFile(dsn); file != "" {
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no runs are recorded in %s yet (the registry file does not exist; "+
				"vigil run records runs there, or pass --registry or set %s)", dsn, registryEnv)
		} else if err != nil {
			return nil, fmt.Errorf("registry %s: %w", dsn, err)
		}
	}
	reg, err := registry.OpenContext(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open registry %s: %w", dsn, err)
	}
	return reg, nil
}

// withRegistry opens the registry named by flag, runs fn and closes it.
func withRegistry(ctx context.Context, flag string, fn func(reg *registry.Registry, dsn string) error) error {
	dsn := registryDSNFor(flag)
	if dsn == "" {
		return fmt.Errorf("the run registry is off (--registry or $%s is %q): no runs to read", registryEnv, registryOff)
	}
	reg, err := openRecordedRegistry(ctx, dsn)
	if err != nil {
		return err
	}
	return errors.Join(fn(reg, dsn), reg.Close())
}

func newRunsCmd() *cobra.Command {
	var dsn string
	runs := &cobra.Command{
		Use:   "runs",
		Short: "List, inspect, compare and rank the runs recorded in the run registry",
		Long: `Query the run registry that vigil run records every run in. The registry is
--registry, else $VIGIL_REGISTRY, else runs/registry.db: a SQLite file path
(or sqlite:///abs/path) or a postgres:// URL for a shared PostgreSQL.
Times are UTC (RFC 3339, seconds); durations are rounded to seconds.`,
	}
	runs.PersistentFlags().StringVar(&dsn, "registry", "",
		"run registry to read: a SQLite file or postgres:// URL (default $"+registryEnv+", else "+defaultRegistry+")")
	runs.AddCommand(newRunsLsCmd(&dsn), newRunsShowCmd(&dsn), newRunsCompareCmd(&dsn), newRunsBestCmd(&dsn))
	return runs
}

func newRunsLsCmd(dsn *string) *cobra.Command {
	var (
		f               registry.Filter
		kind, status    string
		since, sortKey  string
		asc, jsonOutput bool
	)
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List runs, newest first",
		Long: `List the recorded runs as a table (newest first), or as JSON lines with --json.
--sort orders by a metric key instead (highest first; --asc for lowest), runs
without that metric last, and adds its value as a column. --since takes a
duration back from now (90m, 24h, 7d), a date (2026-11-30, UTC) or an RFC 3339
time. --limit 0 lists every run. A live run's duration is the time since it
started.`,
		Example: `  vigil runs ls
  vigil runs ls --name sea_fast --status complete --sort pooled.model.auc --limit 5
  vigil runs ls --sweep 3 --json | jq .metrics`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.Limit < 0 {
				return fmt.Errorf("--limit %d: must be 0 (no limit) or more", f.Limit)
			}
			var err error
			if f.Kind, err = parseKind(kind); err != nil {
				return err
			}
			if f.Status, err = parseStatus(status); err != nil {
				return err
			}
			if f.Since, err = parseSince(since, time.Now()); err != nil {
				return err
			}
			f.MetricKey, f.Desc = sortKey, !asc
			return withRegistry(cmd.Context(), *dsn, func(reg *registry.Registry, _ string) error {
				if err := checkSweep(cmd.Context(), reg, f.SweepID); err != nil {
					return err
				}
				runs, err := reg.ListRuns(cmd.Context(), f)
				if err != nil {
					return err
				}
				if jsonOutput {
					enc := json.NewEncoder(cmd.OutOrStdout())
					for _, r := range runs {
						if err := enc.Encode(newRunRecord(r, nil, time.Now())); err != nil {
							return err
						}
					}
					return nil
				}
				return writeRunTable(cmd.OutOrStdout(), runs, sortKey, time.Now())
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Name, "name", "", "only runs with this exact name")
	fl.StringVar(&kind, "kind", "", "only runs of this kind: run, trial or retrain")
	fl.StringVar(&status, "status", "", "only runs with this status: pending, running, complete, failed, pruned or killed")
	fl.Int64Var(&f.SweepID, "sweep", 0, "only the trials of this sweep id")
	fl.StringVar(&since, "since", "", "only runs started since a duration ago (24h, 7d), a date (2026-11-30) or an RFC 3339 time")
	fl.StringVar(&sortKey, "sort", "", "order by this metric key, highest first (e.g. pooled.model.auc)")
	fl.BoolVar(&asc, "asc", false, "ascending order: oldest first, or lowest metric first with --sort")
	fl.IntVar(&f.Limit, "limit", 20, "list at most this many runs (0: all)")
	fl.BoolVar(&jsonOutput, "json", false, "print one JSON object per run (JSON lines)")
	return cmd
}

func newRunsShowCmd(dsn *string) *cobra.Command {
	var jsonOutput bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Print every field of a run, its config, metrics, artifacts and last curve values",
		Long: `Print every recorded field of one run, then its flattened config and metrics
sorted by key, its artifacts, and for each curve key the last value logged per
unit (step or epoch). --json prints the same as one JSON object.`,
		Example: `  vigil runs show 12
  vigil runs show 12 --json | jq .metrics`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseRunID(args[0])
			if err != nil {
				return err
			}
			return withRegistry(cmd.Context(), *dsn, func(reg *registry.Registry, dsn string) error {
				run, err := getRun(cmd.Context(), reg, dsn, id)
				if err != nil {
					return err
				}
				points, err := reg.Curve(cmd.Context(), id, "")
				if err != nil {
					return err
				}
				last := lastCurveValues(points)
				if jsonOutput {
					enc := json.NewEncoder(cmd.OutOrStdout())
					enc.SetIndent("", "  ")
					return enc.Encode(newRunRecord(run, last, time.Now()))
				}
				return writeRunDetail(cmd.OutOrStdout(), run, last, time.Now())
			})
		},
	}
	cmd.Flags().BoolVar(&jsonOutput, "json", false, "print the run as one JSON object")
	return cmd
}

func newRunsCompareCmd(dsn *string) *cobra.Command {
	var pattern string
	cmd := &cobra.Command{
		Use:   "compare ID ID...",
		Short: "Show runs' metrics side by side and the config keys that differ",
		Long: `Print one row per metric key recorded by any of the runs, one column per run
("-" where a run lacks the key), then the flattened config keys whose values
differ between the runs. --metrics keeps the metric keys matching a glob
(path.Match on the dotted key, e.g. "*.auc" or "pooled.*.auc") or, when it
has no glob characters, containing it as a substring.`,
		Example: `  vigil runs compare 12 15
  vigil runs compare 12 15 17 --metrics '*.auc'`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			keep, err := metricMatcher(pattern)
			if err != nil {
				return err
			}
			ids := make([]int64, len(args))
			for i, a := range args {
				if ids[i], err = parseRunID(a); err != nil {
					return err
				}
			}
			return withRegistry(cmd.Context(), *dsn, func(reg *registry.Registry, dsn string) error {
				runs := make([]registry.Run, len(ids))
				for i, id := range ids {
					if runs[i], err = getRun(cmd.Context(), reg, dsn, id); err != nil {
						return err
					}
				}
				return writeComparison(cmd.OutOrStdout(), runs, keep)
			})
		},
	}
	cmd.Flags().StringVar(&pattern, "metrics", "", `only metric keys matching this glob ("*.auc") or containing this substring`)
	return cmd
}

func newRunsBestCmd(dsn *string) *cobra.Command {
	var (
		scope    registry.Filter
		metric   string
		minimize bool
	)
	cmd := &cobra.Command{
		Use:   "best --metric KEY",
		Short: "Print the complete run with the highest (or --min lowest) metric",
		Long: `Print the id, name, metric value and output directory of the complete run
with the highest value of --metric (the lowest with --min), among the runs
named --name or the trials of --sweep (default: all runs). Ties go to the
earliest run.`,
		Example: `  vigil runs best --metric pooled.model.auc --name sea_fast
  vigil runs best --metric train.loss --sweep 3 --min`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withRegistry(cmd.Context(), *dsn, func(reg *registry.Registry, dsn string) error {
				if err := checkSweep(cmd.Context(), reg, scope.SweepID); err != nil {
					return err
				}
				run, err := reg.Best(cmd.Context(), scope, metric, !minimize)
				if errors.Is(err, registry.ErrNotFound) {
					return fmt.Errorf("no complete run%s in %s has metric %q", describeScope(scope), dsn, metric)
				}
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintf(tw, "id\t%d\nname\t%s\n%s\t%s\nout dir\t%s\n",
					run.ID, run.Name, metric, formatMetric(run.Metrics[metric]), orDash(run.OutDir))
				return tw.Flush()
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&metric, "metric", "", "metric key to rank by, e.g. pooled.model.auc (required)")
	fl.StringVar(&scope.Name, "name", "", "only runs with this exact name")
	fl.Int64Var(&scope.SweepID, "sweep", 0, "only the trials of this sweep id")
	fl.BoolVar(&minimize, "min", false, "pick the lowest value instead of the highest")
	if err := cmd.MarkFlagRequired("metric"); err != nil {
		panic(err) // the flag is defined just above
	}
	cmd.MarkFlagsMutuallyExclusive("name", "sweep")
	return cmd
}

// describeScope words a best-run scope for an error message.
func describeScope(f registry.Filter) string {
	switch {
	case f.Name != "":
		return fmt.Sprintf(" named %q", f.Name)
	case f.SweepID != 0:
		return fmt.Sprintf(" of sweep %d", f.SweepID)
	}
	return ""
}

func parseRunID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("run id %q: want a positive integer, as vigil runs ls prints", s)
	}
	return id, nil
}

// getRun is GetRun with an error that names the registry for unknown ids.
func getRun(ctx context.Context, reg *registry.Registry, dsn string, id int64) (registry.Run, error) {
	run, err := reg.GetRun(ctx, id)
	if errors.Is(err, registry.ErrNotFound) {
		return registry.Run{}, fmt.Errorf("run %d: no such run in %s", id, dsn)
	}
	return run, err
}

// checkSweep turns a --sweep id that names no sweep into an error, rather
// than an empty listing.
func checkSweep(ctx context.Context, reg *registry.Registry, id int64) error {
	if id == 0 {
		return nil
	}
	if _, err := reg.GetSweep(ctx, id); errors.Is(err, registry.ErrNotFound) {
		return fmt.Errorf("sweep %d: no such sweep", id)
	} else if err != nil {
		return err
	}
	return nil
}

func parseKind(s string) (registry.Kind, error) {
	switch k := registry.Kind(s); k {
	case "", registry.KindRun, registry.KindTrial, registry.KindRetrain:
		return k, nil
	}
	return "", fmt.Errorf("--kind %q: want run, trial or retrain", s)
}

func parseStatus(s string) (registry.Status, error) {
	switch st := registry.Status(s); st {
	case "", registry.StatusPending, registry.StatusRunning, registry.StatusComplete,
		registry.StatusFailed, registry.StatusPruned, registry.StatusKilled:
		return st, nil
	}
	return "", fmt.Errorf("--status %q: want pending, running, complete, failed, pruned or killed", s)
}

// parseSince reads --since: a duration before now ("24h", or whole days
// "7d"), a UTC date ("2026-11-30") or an RFC 3339 time. "" is the zero time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want a duration (24h, 7d), a date (2026-11-30) or an RFC 3339 time", s)
}

// metricMatcher makes the --metrics filter: a path.Match glob when the
// pattern has glob characters, else a substring test; "" keeps every key.
func metricMatcher(pattern string) (func(key string) bool, error) {
	if pattern == "" {
		return func(string) bool { return true }, nil
	}
	if !strings.ContainsAny(pattern, `*?[\`) {
		return func(key string) bool { return strings.Contains(key, pattern) }, nil
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, fmt.Errorf("--metrics %q: %w", pattern, err)
	}
	return func(key string) bool {
		ok, _ := path.Match(pattern, key) // the pattern was checked above
		return ok
	}, nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// runDuration is how long a run took, or has been running as of now; zero
// for a run never started.
func runDuration(r registry.Run, now time.Time) time.Duration {
	switch {
	case r.StartedAt.IsZero():
		return 0
	case r.EndedAt.IsZero():
		return now.Sub(r.StartedAt).Round(time.Second)
	}
	return r.EndedAt.Sub(r.StartedAt).Round(time.Second)
}

func formatDuration(r registry.Run, now time.Time) string {
	if r.StartedAt.IsZero() {
		return "-"
	}
	return runDuration(r, now).String()
}

// shortCommit abbreviates a leading hex commit hash to 7 digits, keeping
// any suffix such as "-dirty".
func shortCommit(c string) string {
	hex := strings.IndexFunc(c, func(r rune) bool {
		return !('0' <= r && r <= '9' || 'a' <= r && r <= 'f')
	})
	if hex < 0 {
		hex = len(c)
	}
	if hex <= 7 {
		return orDash(c)
	}
	return c[:7] + c[hex:]
}

func formatMetric(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// metricCell is metrics[key] formatted, or "-" when the run lacks it.
func metricCell(metrics map[string]float64, key string) string {
	if v, ok := metrics[key]; ok {
		return formatMetric(v)
	}
	return "-"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeRunTable(w io.Writer, runs []registry.Run, sortKey string, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "ID\tNAME\tKIND\tSTATUS\tSTARTED\tDURATION\tDEVICE\tCOMMIT")
	if sortKey != "" {
		fmt.Fprint(tw, "\t"+sortKey)
	}
	fmt.Fprintln(tw)
	for _, r := range runs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s", r.ID, orDash(r.Name), r.Kind, r.Status,
			formatTime(r.StartedAt), formatDuration(r, now), orDash(r.Device), shortCommit(r.Commit))
		if sortKey != "" {
			fmt.Fprint(tw, "\t"+metricCell(r.Metrics, sortKey))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// curveKey names one curve: a metric key logged on one unit.
type curveKey struct{ Key, Unit string }

// lastCurveValues keeps the last point of each (key, unit) curve, in
// Curve's order (key, then step, then epoch).
func lastCurveValues(points []registry.CurvePoint) []registry.CurvePoint {
	var last []registry.CurvePoint
	at := map[curveKey]int{}
	for _, p := range points {
		k := curveKey{p.Key, p.Unit}
		if i, ok := at[k]; ok {
			last[i] = p
			continue
		}
		at[k] = len(last)
		last = append(last, p)
	}
	return last
}

// curveX is a point's position on its unit's axis.
func curveX(p registry.CurvePoint) int64 {
	if p.Unit == "epoch" {
		return p.Epoch
	}
	return p.Step
}

func writeRunDetail(w io.Writer, r registry.Run, last []registry.CurvePoint, now time.Time) error {
	config, err := flattenConfig(r.ConfigJSON)
	if err != nil {
		return fmt.Errorf("run %d: %w", r.ID, err)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	sweep, trial := "-", "-"
	if r.SweepID != 0 {
		sweep, trial = strconv.FormatInt(r.SweepID, 10), strconv.Itoa(r.TrialNumber)
	}
	for _, f := range [][2]string{
		{"id", strconv.FormatInt(r.ID, 10)}, {"name", orDash(r.Name)}, {"kind", string(r.Kind)},
		{"status", string(r.Status)}, {"sweep", sweep}, {"trial", trial},
		{"started", formatTime(r.StartedAt)}, {"ended", formatTime(r.EndedAt)},
		{"duration", formatDuration(r, now)}, {"heartbeat", formatTime(r.HeartbeatAt)},
		{"device", orDash(r.Device)}, {"host", orDash(r.Host)}, {"commit", orDash(r.Commit)},
		{"config hash", orDash(r.ConfigHash)}, {"out dir", orDash(r.OutDir)}, {"error", orDash(r.Error)},
	} {
		fmt.Fprintf(tw, "%s\t%s\n", f[0], f[1])
	}
	section := func(title string, n int) {
		fmt.Fprintf(tw, "\n%s:", title)
		if n == 0 {
			fmt.Fprint(tw, " none")
		}
		fmt.Fprintln(tw)
	}
	section("config", len(config))
	for _, k := range sortedKeys(config) {
		fmt.Fprintf(tw, "  %s\t%s\n", k, config[k])
	}
	section("metrics", len(r.Metrics))
	for _, k := range sortedKeys(r.Metrics) {
		fmt.Fprintf(tw, "  %s\t%s\n", k, formatMetric(r.Metrics[k]))
	}
	section("artifacts", len(r.Artifacts))
	for _, a := range r.Artifacts {
		fmt.Fprintf(tw, "  %s\t%s\n", a.Name, a.URI)
	}
	section("curves (last value per unit)", len(last))
	for _, p := range last {
		fmt.Fprintf(tw, "  %s\t%s %d\t%s\n", p.Key, p.Unit, curveX(p), formatMetric(p.Value))
	}
	return tw.Flush()
}

func writeComparison(w io.Writer, runs []registry.Run, keep func(string) bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := func(first string) {
		fmt.Fprint(tw, first)
		for _, r := range runs {
			fmt.Fprintf(tw, "\t#%d %s", r.ID, r.Name)
		}
		fmt.Fprintln(tw)
	}
	metricKeys := map[string]bool{}
	for _, r := range runs {
		for k := range r.Metrics {
			if keep(k) {
				metricKeys[k] = true
			}
		}
	}
	keys := sortedKeys(metricKeys)
	header("METRIC")
	for _, k := range keys {
		fmt.Fprint(tw, k)
		for _, r := range runs {
			fmt.Fprint(tw, "\t"+metricCell(r.Metrics, k))
		}
		fmt.Fprintln(tw)
	}
	if len(keys) == 0 {
		fmt.Fprintln(tw, "(no matching metrics)")
	}

	configs := make([]map[string]string, len(runs))
	configKeys := map[string]bool{}
	for i, r := range runs {
		var err error
		if configs[i], err = flattenConfig(r.ConfigJSON); err != nil {
			return fmt.Errorf("run %d: %w", r.ID, err)
		}
		for k := range configs[i] {
			configKeys[k] = true
		}
	}
	var differ []string
	for _, k := range sortedKeys(configKeys) {
		v0, ok0 := configs[0][k]
		for _, c := range configs[1:] {
			if v, ok := c[k]; ok != ok0 || v != v0 {
				differ = append(differ, k)
				break
			}
		}
	}
	fmt.Fprintln(tw)
	if len(differ) == 0 {
		fmt.Fprintln(tw, "config: identical")
		return tw.Flush()
	}
	header("CONFIG")
	for _, k := range differ {
		fmt.Fprint(tw, k)
		for _, c := range configs {
			v, ok := c[k]
			if !ok {
				v = "-"
			}
			fmt.Fprint(tw, "\t"+v)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// flattenConfig turns a config JSON document into dotted keys, as
// registry.FlattenMetrics does for metrics, but keeping every leaf: strings
// as they are, numbers as written, booleans and null as JSON spells them,
// and empty objects and arrays as {} and []. An empty document gives an
// empty map.
func flattenConfig(doc json.RawMessage) (map[string]string, error) {
	out := map[string]string{}
	if len(bytes.TrimSpace(doc)) == 0 {
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("config json: %w", err)
	}
	flattenConfigValue(out, "", v)
	return out, nil
}

func flattenConfigValue(out map[string]string, prefix string, v any) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			out[prefix] = "{}"
		}
		for k, child := range v {
			flattenConfigValue(out, join(k), child)
		}
	case []any:
		if len(v) == 0 {
			out[prefix] = "[]"
		}
		for i, child := range v {
			flattenConfigValue(out, join(strconv.Itoa(i)), child)
		}
	case string:
		out[prefix] = v
	case json.Number:
		out[prefix] = v.String()
	case bool:
		out[prefix] = strconv.FormatBool(v)
	case nil:
		out[prefix] = "null"
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// runRecord is a run as vigil runs ls --json and show --json print it.
type runRecord struct {
	ID          int64              `json:"id"`
	Name        string             `json:"name"`
	Kind        registry.Kind      `json:"kind"`
	Status      registry.Status    `json:"status"`
	SweepID     int64              `json:"sweep_id,omitempty"`
	TrialNumber *int               `json:"trial_number,omitempty"`
	StartedAt   string             `json:"started_at,omitempty"`
	EndedAt     string             `json:"ended_at,omitempty"`
	HeartbeatAt string             `json:"heartbeat_at,omitempty"`
	DurationS   *float64           `json:"duration_s,omitempty"` // whole seconds; absent for a run never started
	Device      string             `json:"device"`
	Host        string             `json:"host"`
	Commit      string             `json:"commit"`
	ConfigHash  string             `json:"config_hash"`
	Config      json.RawMessage    `json:"config,omitempty"`
	OutDir      string             `json:"out_dir"`
	Error       string             `json:"error,omitempty"`
	Metrics     map[string]float64 `json:"metrics,omitempty"`
	Artifacts   []artifactRecord   `json:"artifacts,omitempty"`
	Curves      []curveRecord      `json:"curves,omitempty"`
}

// artifactRecord is one artifact of a run.
type artifactRecord struct {
	Name string `json:"name"`
	URI  string `json:"uri"`
}

// curveRecord is the last point of one curve.
type curveRecord struct {
	Key   string  `json:"key"`
	Unit  string  `json:"unit"`
	At    int64   `json:"at"` // step or epoch, per Unit
	Value float64 `json:"value"`
}

func newRunRecord(r registry.Run, last []registry.CurvePoint, now time.Time) runRecord {
	rec := runRecord{
		ID: r.ID, Name: r.Name, Kind: r.Kind, Status: r.Status, SweepID: r.SweepID,
		Device: r.Device, Host: r.Host, Commit: r.Commit, ConfigHash: r.ConfigHash,
		OutDir: r.OutDir, Error: r.Error, Metrics: r.Metrics,
	}
	for _, a := range r.Artifacts {
		rec.Artifacts = append(rec.Artifacts, artifactRecord{Name: a.Name, URI: a.URI})
	}
	if json.Valid(r.ConfigJSON) {
		rec.Config = r.ConfigJSON
	}
	if r.SweepID != 0 {
		trial := r.TrialNumber
		rec.TrialNumber = &trial
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return formatTime(t)
	}
	rec.StartedAt, rec.EndedAt, rec.HeartbeatAt = stamp(r.StartedAt), stamp(r.EndedAt), stamp(r.HeartbeatAt)
	if !r.StartedAt.IsZero() {
		d := runDuration(r, now).Seconds()
		rec.DurationS = &d
	}
	for _, p := range last {
		rec.Curves = append(rec.Curves, curveRecord{Key: p.Key, Unit: p.Unit, At: curveX(p), Value: p.Value})
	}
	return rec
}
