package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/experiments/registry"
)

// runsT0 is when the first seeded run starts; the registry's clock
// advances from there, so every stored time is known.
var runsT0 = time.Date(2025, 1, 2, 10, 0, 0, 0, time.UTC)

// seedRunsRegistry records, in a new SQLite registry, with times from a
// fake clock:
//
//	1 alpha run      complete  10:00:00 + 5m    auc 0.91  loss 0.30  lr 0.001  (artifact, curves)
//	2 alpha run      complete  10:10:00 + 1m30s auc 0.95  loss 0.25  lr 0.01   baseline.auc 0.8
//	3 beta  retrain  failed    10:20:00 + 10s   auc 0.99
//	4 sw-0  trial    complete  10:30:00 + 1m    auc 0.70  (sweep 1, trial 0)
//	5 sw-1  trial    complete  10:40:00 + 1m    auc 0.85  (sweep 1, trial 1)
//	6 sw-2  trial    pending   never started              (sweep 1, trial 2)
//	7 gamma run      running   10:50:00
func seedRunsRegistry(t *testing.T) string {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "registry.db")
	now := runsT0
	reg, err := registry.Open(dsn, registry.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	start := func(at time.Duration, info registry.RunInfo) int64 {
		t.Helper()
		now = runsT0.Add(at)
		id, err := reg.StartRun(ctx, info)
		must(err)
		return id
	}
	finish := func(id int64, after time.Duration, status registry.Status, metrics map[string]float64) {
		t.Helper()
		must(reg.AddMetrics(ctx, id, metrics))
		now = now.Add(after)
		errText := ""
		if status == registry.StatusFailed {
			errText = "out of memory"
		}
		must(reg.FinishRun(ctx, id, status, errText))
	}

	alpha := func(lr string) json.RawMessage {
		return json.RawMessage(`{"model": {"kind": "vae", "layers": [32, 16]}, "train": {"lr": ` + lr + `, "epochs": 3, "shuffle": true}}`)
	}
	id := start(0, registry.RunInfo{Name: "alpha", ConfigJSON: alpha("0.001"), Commit: "0123456789abcdef0123",
		Device: "cpu", Host: "h1", OutDir: "runs/alpha"})
	must(reg.AddArtifact(ctx, id, "report", "runs/alpha/report.html"))
	must(reg.AddCurve(ctx, id, []registry.CurvePoint{
		{Unit: "step", Step: 1, Key: "train.loss", Value: 0.9},
		{Unit: "step", Step: 2, Key: "train.loss", Value: 0.5},
		{Unit: "step", Step: 3, Key: "train.loss", Value: 0.2},
		{Unit: "epoch", Step: 3, Epoch: 1, Key: "train.loss", Value: 0.4},
		{Unit: "epoch", Step: 3, Epoch: 1, Key: "val.auc", Value: 0.8},
	}))
	finish(id, 5*time.Minute, registry.StatusComplete, map[string]float64{"pooled.model.auc": 0.91, "train.loss": 0.30})

	id = start(10*time.Minute, registry.RunInfo{Name: "alpha", ConfigJSON: alpha("0.01"), Commit: "abcdef0123-dirty",
		Device: "cuda:0", Host: "h2", OutDir: "runs/alpha2"})
	finish(id, 90*time.Second, registry.StatusComplete,
		map[string]float64{"pooled.model.auc": 0.95, "train.loss": 0.25, "pooled.baseline.auc": 0.8})

	id = start(20*time.Minute, registry.RunInfo{Name: "beta", Kind: registry.KindRetrain, Device: "cpu", OutDir: "runs/beta"})
	finish(id, 10*time.Second, registry.StatusFailed, map[string]float64{"pooled.model.auc": 0.99})

	sweep, err := reg.CreateSweep(ctx, registry.SweepInfo{Name: "sw", Objective: "pooled.model.auc"})
	must(err)
	for n := range 3 {
		_, err := reg.AddTrial(ctx, sweep, n, registry.RunInfo{Name: "sw-" + string(rune('0'+n)), Device: "cpu",
			OutDir: "runs/sw/" + string(rune('0'+n))})
		must(err)
	}
	for n, auc := range []float64{0.70, 0.85} {
		now = runsT0.Add(time.Duration(30+10*n) * time.Minute)
		id, claimed, err := reg.ClaimTrial(ctx, sweep, n, "h3")
		must(err)
		if !claimed {
			t.Fatalf("trial %d not claimed", n)
		}
		finish(id, time.Minute, registry.StatusComplete, map[string]float64{"pooled.model.auc": auc})
	}

	start(50*time.Minute, registry.RunInfo{Name: "gamma", Device: "cpu"})
	return dsn
}

// squeeze collapses each line's runs of spaces, so that tests need not
// spell out tabwriter's padding.
func squeeze(out string) []string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return lines
}

// firstColumn is the first field of each line after the header.
func firstColumn(out string) []string {
	var col []string
	for _, l := range squeeze(out)[1:] {
		col = append(col, strings.SplitN(l, " ", 2)[0])
	}
	return col
}

func TestRuns(t *testing.T) {
	dsn := seedRunsRegistry(t)
	run := func(t *testing.T, args ...string) string {
		t.Helper()
		out, err := execute(t, append([]string{"runs", "--registry", dsn}, args...)...)
		if err != nil {
			t.Fatalf("vigil runs %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	fails := func(t *testing.T, want string, args ...string) {
		t.Helper()
		out, err := execute(t, append([]string{"runs", "--registry", dsn}, args...)...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("vigil runs %s: err %v, want one containing %q\n%s", strings.Join(args, " "), err, want, out)
		}
	}

	t.Run("LsTable", func(t *testing.T) {
		got := run(t, "ls", "--name", "alpha")
		want := "" +
			"ID  NAME   KIND  STATUS    STARTED               DURATION  DEVICE  COMMIT\n" +
			"2   alpha  run   complete  2025-01-02T10:10:00Z  1m30s     cuda:0  abcdef0-dirty\n" +
			"1   alpha  run   complete  2025-01-02T10:00:00Z  5m0s      cpu     0123456\n"
		if got != want {
			t.Fatalf("got\n%s\nwant\n%s", got, want)
		}
	})

	t.Run("LsFilters", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			ids  []string
		}{
			{nil, []string{"7", "6", "5", "4", "3", "2", "1"}},
			{[]string{"--limit", "3"}, []string{"7", "6", "5"}},
			{[]string{"--asc", "--limit", "2"}, []string{"1", "2"}},
			{[]string{"--kind", "trial"}, []string{"6", "5", "4"}},
			{[]string{"--kind", "retrain"}, []string{"3"}},
			{[]string{"--status", "complete"}, []string{"5", "4", "2", "1"}},
			{[]string{"--status", "running"}, []string{"7"}},
			{[]string{"--sweep", "1", "--status", "pending"}, []string{"6"}},
			{[]string{"--since", "2025-01-02T10:30:00Z"}, []string{"7", "5", "4"}},
			{[]string{"--since", "2025-01-03"}, nil},
			{[]string{"--since", "24h"}, nil},
		} {
			if got := firstColumn(run(t, append([]string{"ls"}, c.args...)...)); !slices.Equal(got, c.ids) {
				t.Errorf("ls %v: ids %v, want %v", c.args, got, c.ids)
			}
		}
	})

	t.Run("LsSort", func(t *testing.T) {
		out := run(t, "ls", "--sort", "pooled.model.auc")
		lines := squeeze(out)
		if !strings.HasSuffix(lines[0], "COMMIT pooled.model.auc") {
			t.Fatalf("header %q lacks the metric column", lines[0])
		}
		if got, want := firstColumn(out), []string{"3", "2", "1", "5", "4", "6", "7"}; !slices.Equal(got, want) {
			t.Fatalf("ids %v, want %v", got, want)
		}
		if !strings.HasSuffix(lines[1], " 0.99") || !strings.HasSuffix(lines[5], " 0.7") || !strings.HasSuffix(lines[7], " -") {
			t.Fatalf("metric column:\n%s", out)
		}
		got := firstColumn(run(t, "ls", "--sort", "pooled.model.auc", "--asc", "--limit", "3"))
		if want := []string{"4", "5", "1"}; !slices.Equal(got, want) {
			t.Fatalf("--asc ids %v, want %v", got, want)
		}
	})

	t.Run("LsJSON", func(t *testing.T) {
		out := run(t, "ls", "--json", "--sweep", "1", "--sort", "pooled.model.auc")
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("want 3 JSON lines:\n%s", out)
		}
		var recs []runRecord
		for _, l := range lines {
			var rec runRecord
			if err := json.Unmarshal([]byte(l), &rec); err != nil {
				t.Fatalf("%q: %v", l, err)
			}
			recs = append(recs, rec)
		}
		best, pending := recs[0], recs[2]
		if best.ID != 5 || best.Kind != "trial" || best.SweepID != 1 || best.TrialNumber == nil || *best.TrialNumber != 1 ||
			best.StartedAt != "2025-01-02T10:40:00Z" || best.EndedAt != "2025-01-02T10:41:00Z" ||
			best.DurationS == nil || *best.DurationS != 60 || best.Host != "h3" || best.Metrics["pooled.model.auc"] != 0.85 {
			t.Fatalf("first record %+v", best)
		}
		if pending.ID != 6 || pending.Status != "pending" || pending.StartedAt != "" || pending.DurationS != nil || pending.Metrics != nil {
			t.Fatalf("pending record %+v", pending)
		}
	})

	t.Run("Show", func(t *testing.T) {
		lines := squeeze(run(t, "show", "1"))
		for _, want := range []string{
			"id 1", "name alpha", "kind run", "status complete", "sweep -", "trial -",
			"started 2025-01-02T10:00:00Z", "ended 2025-01-02T10:05:00Z", "duration 5m0s",
			"heartbeat 2025-01-02T10:05:00Z", "device cpu", "host h1", "commit 0123456789abcdef0123",
			"out dir runs/alpha", "error -",
			"config:", "model.kind vae", "model.layers.0 32", "train.lr 0.001", "train.shuffle true",
			"metrics:", "pooled.model.auc 0.91", "train.loss 0.3",
			"artifacts:", "report runs/alpha/report.html",
			"curves (last value per unit):", "train.loss step 3 0.2", "train.loss epoch 1 0.4", "val.auc epoch 1 0.8",
		} {
			if !slices.Contains(lines, want) {
				t.Errorf("show lacks line %q", want)
			}
		}
		if i, j := slices.Index(lines, "pooled.model.auc 0.91"), slices.Index(lines, "train.loss 0.3"); i > j {
			t.Errorf("metrics not sorted by key")
		}
		if t.Failed() {
			t.Logf("show:\n%s", strings.Join(lines, "\n"))
		}

		lines = squeeze(run(t, "show", "3"))
		for _, want := range []string{"status failed", "error out of memory", "artifacts: none", "curves (last value per unit): none"} {
			if !slices.Contains(lines, want) {
				t.Errorf("show 3 lacks line %q:\n%s", want, strings.Join(lines, "\n"))
			}
		}

		var rec runRecord
		if err := json.Unmarshal([]byte(run(t, "show", "1", "--json")), &rec); err != nil {
			t.Fatal(err)
		}
		wantCurves := []curveRecord{{"train.loss", "step", 3, 0.2}, {"train.loss", "epoch", 1, 0.4}, {"val.auc", "epoch", 1, 0.8}}
		if rec.ID != 1 || len(rec.Metrics) != 2 || rec.Metrics["train.loss"] != 0.30 || !slices.Equal(rec.Curves, wantCurves) ||
			len(rec.Artifacts) != 1 || rec.Artifacts[0].URI != "runs/alpha/report.html" || !strings.Contains(string(rec.Config), `"lr": 0.001`) {
			t.Fatalf("show --json: %+v", rec)
		}
	})

	t.Run("Compare", func(t *testing.T) {
		got := squeeze(run(t, "compare", "1", "2"))
		want := []string{
			"METRIC #1 alpha #2 alpha",
			"pooled.baseline.auc - 0.8",
			"pooled.model.auc 0.91 0.95",
			"train.loss 0.3 0.25",
			"",
			"CONFIG #1 alpha #2 alpha",
			"train.lr 0.001 0.01",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		got = squeeze(run(t, "compare", "2", "3", "5", "--metrics", "*.auc"))
		want = []string{
			"METRIC #2 alpha #3 beta #5 sw-1",
			"pooled.baseline.auc 0.8 - -",
			"pooled.model.auc 0.95 0.99 0.85",
			"",
			"CONFIG #2 alpha #3 beta #5 sw-1",
		}
		if !slices.Equal(got[:len(want)], want) || !slices.Contains(got, "train.lr 0.01 - -") {
			t.Fatalf("glob compare:\n%s", strings.Join(got, "\n"))
		}

		got = squeeze(run(t, "compare", "4", "5", "--metrics", "model"))
		want = []string{"METRIC #4 sw-0 #5 sw-1", "pooled.model.auc 0.7 0.85", "", "config: identical"}
		if !slices.Equal(got, want) {
			t.Fatalf("substring compare:\n%s", strings.Join(got, "\n"))
		}
		fails(t, "syntax error in pattern", "compare", "1", "2", "--metrics", "[")
		fails(t, "requires at least 2 arg(s), only received 1", "compare", "1")
	})

	t.Run("Best", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			want string
		}{
			// Run 3 has the highest AUC but failed: best ranks complete runs only.
			{nil, "id 2|name alpha|pooled.model.auc 0.95|out dir runs/alpha2"},
			{[]string{"--min"}, "id 4|name sw-0|pooled.model.auc 0.7|out dir runs/sw/0"},
			{[]string{"--sweep", "1"}, "id 5|name sw-1|pooled.model.auc 0.85|out dir runs/sw/1"},
			{[]string{"--name", "alpha", "--min"}, "id 1|name alpha|pooled.model.auc 0.91|out dir runs/alpha"},
		} {
			out := run(t, append([]string{"best", "--metric", "pooled.model.auc"}, c.args...)...)
			if got := strings.Join(squeeze(out), "|"); got != c.want {
				t.Errorf("best %v: got %q, want %q", c.args, got, c.want)
			}
		}
		fails(t, `no complete run named "beta" in `+dsn+` has metric "pooled.model.auc"`,
			"best", "--metric", "pooled.model.auc", "--name", "beta")
		fails(t, `required flag(s) "metric" not set`, "best")
		fails(t, "none of the others can be", "best", "--metric", "x", "--name", "alpha", "--sweep", "1")
	})

	t.Run("Errors", func(t *testing.T) {
		fails(t, "run 99: no such run in "+dsn, "show", "99")
		fails(t, "run 99: no such run in "+dsn, "compare", "1", "99")
		fails(t, `run id "abc": want a positive integer`, "show", "abc")
		fails(t, "sweep 9: no such sweep", "ls", "--sweep", "9")
		fails(t, `--kind "job": want run, trial or retrain`, "ls", "--kind", "job")
		fails(t, `--status "done"`, "ls", "--status", "done")
		fails(t, `--since "yesterday"`, "ls", "--since", "yesterday")
		fails(t, "--limit -1", "ls", "--limit", "-1")
	})
}

func TestRunsMissingRegistryIsNotCreated(t *testing.T) {
	dir := t.TempDir()
	for _, dsn := range []string{
		filepath.Join(dir, "nope", "registry.db"),
		"sqlite://" + filepath.Join(dir, "nope.db"),
	} {
		_, err := execute(t, "runs", "ls", "--registry", dsn)
		if err == nil || err.Error() != "no runs are recorded in "+dsn+
			" yet (the registry file does not exist; vigil run records runs there, or pass --registry or set VIGIL_REGISTRY)" {
			t.Fatalf("ls --registry %s: err %v", dsn, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 0 {
		t.Fatalf("ls created %v (err %v)", entries, err)
	}
}

func TestRunsRegistryFromEnv(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "env.db")
	reg, err := registry.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.StartRun(context.Background(), registry.RunInfo{Name: "from-env"}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	t.Setenv(registryEnv, dsn)
	out, err := execute(t, "runs", "ls")
	if err != nil || !strings.Contains(out, "from-env") {
		t.Fatalf("ls with $%s: err %v\n%s", registryEnv, err, out)
	}
	t.Setenv(registryEnv, "off")
	if _, err := execute(t, "runs", "ls"); err == nil || !strings.Contains(err.Error(), "registry is off") {
		t.Fatalf("ls with the registry off: err %v", err)
	}
}
