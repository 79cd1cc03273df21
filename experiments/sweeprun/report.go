package sweeprun

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-ml/vigil/eval/report"
	"github.com/vigil-ml/vigil/experiments/sweep"
)

// Report layout: the best-trials table's length, and how much of a failed
// trial's error the trials table shows (the cell's tooltip holds up to
// maxErrorTitle).
const (
	reportBest    = 10
	maxErrorCell  = 160
	maxErrorTitle = 2000
	pruningFigure = "mean validation loss"
)

// writeReport writes the sweep's report.html into out, with its charts
// beside it as sweep_*.png: the sweep's settings and counts, the best
// complete trials, the objective per trial, parallel coordinates, the
// objective against each parameter, every trial's pruning figure per
// epoch, and all trials. A chart without data is replaced by a sentence.
// The page is written even when a chart fails; the chart errors are
// returned, joined.
func writeReport(out string, spec Spec, space *sweep.Space, trials []sweep.Trial) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	params := space.Params()
	v := sweepView{Title: "Sweep " + spec.Name, Metric: spec.Objective.Metric}
	for _, p := range params {
		v.ParamKeys = append(v.ParamKeys, p.Key)
		v.Space = append(v.Space, spaceRow{Key: p.Key, Domain: domainOf(p), When: whenOf(p)})
	}
	v.Info = headerInfo(spec, trials, time.Now())

	dir := direction(spec)
	var done []sweep.Trial
	nan := 0
	for _, t := range trials {
		if t.State == sweep.Complete {
			if math.IsNaN(t.Value) {
				nan++
				continue
			}
			done = append(done, t)
		}
	}
	slices.SortStableFunc(done, func(a, b sweep.Trial) int {
		switch {
		case dir.Better(a.Value, b.Value):
			return -1
		case dir.Better(b.Value, a.Value):
			return 1
		}
		return a.Number - b.Number
	})
	for i, t := range done[:min(len(done), reportBest)] {
		row := newTrialRow(out, params, t)
		row.Rank = i + 1
		v.Best = append(v.Best, row)
	}
	for _, t := range trials {
		v.Trials = append(v.Trials, newTrialRow(out, params, t))
	}
	if nan > 0 {
		v.Notes = append(v.Notes, fmt.Sprintf("%d complete trial(s) have a NaN objective; they are not ranked or plotted.", nan))
	}

	var errs []error
	v.Figures, errs = writeCharts(out, spec, params, trials)

	var buf bytes.Buffer
	if err := sweepPage.Execute(&buf, v); err != nil {
		return fmt.Errorf("sweep report: render page: %w", err)
	}
	if err := os.WriteFile(filepath.Join(out, "report.html"), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("sweep report: %w", err)
	}
	return errors.Join(errs...)
}

// direction is the objective's direction; the zero Direction minimises.
func direction(spec Spec) sweep.Direction {
	if spec.Objective.Direction == sweep.Maximize {
		return sweep.Maximize
	}
	return sweep.Minimize
}

// headerInfo lists the sweep's settings, its counts by state and the date.
func headerInfo(spec Spec, trials []sweep.Trial, now time.Time) []infoRow {
	count := map[sweep.State]int{}
	var first, last time.Time
	for _, t := range trials {
		count[t.State]++
		if !t.Start.IsZero() && (first.IsZero() || t.Start.Before(first)) {
			first = t.Start
		}
		if t.End.After(last) {
			last = t.End
		}
	}
	budget := []string{}
	if spec.Budget.Trials > 0 {
		budget = append(budget, fmt.Sprintf("%d trials", spec.Budget.Trials))
	}
	if spec.Budget.Time != "" {
		budget = append(budget, spec.Budget.Time)
	}
	if len(budget) == 0 {
		budget = append(budget, "none (the grid ends the sweep)")
	}
	rows := []infoRow{
		{"Sweep", spec.Name},
		{"Base config", spec.Base},
		{"Fixed overrides", strings.Join(spec.Set, " ")},
		{"Sampler", fmt.Sprintf("%s (seed %d)", spec.Sampler, spec.Seed)},
		{"Pruner", spec.Pruner},
		{"Objective", fmt.Sprintf("%s (%s)", spec.Objective.Metric, direction(spec))},
		{"Trials", fmt.Sprintf("%d: %d complete, %d pruned, %d failed, %d running", len(trials),
			count[sweep.Complete], count[sweep.Pruned], count[sweep.Failed], count[sweep.Running])},
		{"Budget", strings.Join(budget, ", ")},
	}
	if best, ok := sweep.Best(trials, direction(spec)); ok {
		rows = append(rows, infoRow{"Best trial", fmt.Sprintf("%d: %s = %s (%s)", best.Number,
			spec.Objective.Metric, formatObjective(best.Value), best.Params)})
	}
	if !first.IsZero() {
		span := first.Format("2006-01-02 15:04")
		if !last.IsZero() {
			span += " to " + last.Format("2006-01-02 15:04 MST")
		}
		rows = append(rows, infoRow{"Trials ran", span})
	}
	rows = append(rows, infoRow{"Report written", now.Format("2006-01-02 15:04 MST")})
	kept := rows[:0]
	for _, r := range rows {
		if r.Value != "" {
			kept = append(kept, r)
		}
	}
	return kept
}

// newTrialRow renders trial t for the tables; Link is set when the
// trial's own report exists in out.
func newTrialRow(out string, params []sweep.Param, t sweep.Trial) trialRow {
	row := trialRow{Number: t.Number, State: string(t.State)}
	link := fmt.Sprintf("trial-%04d/report.html", t.Number)
	if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(link))); err == nil {
		row.Link = link
	}
	if t.State == sweep.Complete {
		row.Value = formatObjective(t.Value)
	}
	if !t.Start.IsZero() && !t.End.IsZero() && !t.End.Before(t.Start) {
		row.Duration = t.End.Sub(t.Start).Round(time.Second).String()
	}
	row.Error, row.ErrorFull = truncate(t.Error, maxErrorCell), truncate(t.Error, maxErrorTitle)
	for _, p := range params {
		cell := ""
		if v, ok := t.Params.Get(p.Key); ok {
			cell = formatParam(v)
		}
		row.Params = append(row.Params, cell)
	}
	return row
}

// formatObjective shows an objective with 4 decimals, or 4 significant
// digits when it is tiny or huge.
func formatObjective(x float64) string {
	if a := math.Abs(x); a != 0 && (a < 1e-3 || a >= 1e6) || math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', 4, 64)
	}
	return strconv.FormatFloat(x, 'f', 4, 64)
}

// formatParam shows a parameter value, floats with 4 significant digits.
func formatParam(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', 4, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', 4, 32)
	}
	return fmt.Sprint(v)
}

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "\u2026"
}

// domainOf and whenOf describe a parameter for the search-space table.
func domainOf(p sweep.Param) string {
	switch p.Kind {
	case sweep.Choice:
		names := make([]string, len(p.Choices))
		for i, c := range p.Choices {
			names[i] = formatParam(c)
		}
		return "one of " + strings.Join(names, ", ")
	}
	d := fmt.Sprintf("%s in [%s, %s]", p.Kind, formatParam(p.Low), formatParam(p.High))
	if p.Log {
		d += ", log scale"
	}
	return d
}

func whenOf(p sweep.Param) string {
	var parts []string
	for _, c := range p.When {
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = formatParam(v)
		}
		parts = append(parts, fmt.Sprintf("%s in {%s}", c.Key, strings.Join(vals, ", ")))
	}
	return strings.Join(parts, " and ")
}

// writeCharts writes the sweep_*.png charts into out and returns the
// figures for the page; a chart without data becomes a sentence, and a
// failed chart a sentence and an error.
func writeCharts(out string, spec Spec, params []sweep.Param, trials []sweep.Trial) ([]figure, []error) {
	data := chartData(spec, params, trials)
	var figs []figure
	var errs []error
	add := func(file, title, caption, missing string, plot func(path string) error) {
		f := figure{Title: title}
		err := plot(filepath.Join(out, file))
		switch {
		case err == nil:
			f.File, f.Caption = file, caption
		case errors.Is(err, report.ErrNothingToPlot):
			f.Missing = missing
		default:
			f.Missing = "The chart could not be drawn: " + err.Error()
			errs = append(errs, fmt.Errorf("sweep report: %s: %w", file, err))
		}
		figs = append(figs, f)
	}
	noValue := "No complete trial has a finite objective yet, so there is nothing to plot."
	add("sweep_history.png", "Objective per trial",
		"Complete trials as dots, the best value so far as a step line; pruned (crosses), failed (triangles) and running (rings) trials have no objective and sit in the row below.",
		noValue, func(p string) error { return report.PlotSweepHistory(p, data) })
	add("sweep_parallel.png", "Parallel coordinates",
		"One axis per parameter (log parameters in log space, choices spread evenly), then the objective. Complete trials go from light (worst) to dark blue (best); the best is the thick green line. Pruned trials are thin dashed grey lines up to their last active parameter; failed and running trials are not drawn. An inactive conditional parameter sits in the n/a row.",
		noValue, func(p string) error { return report.PlotSweepParallel(p, data) })
	for i, p := range params {
		file := fmt.Sprintf("sweep_param_%d_%s.png", i, fileSafe.ReplaceAllString(p.Key, "_"))
		add(file, fmt.Sprintf("%s against %s", spec.Objective.Metric, p.Key),
			"Complete trials as dots; pruned (crosses) and failed (triangles) trials in the row below. Trials where the parameter was inactive are left out.",
			fmt.Sprintf("No complete trial with a finite objective has %s, so there is nothing to plot.", p.Key),
			func(path string) error { return report.PlotSweepParam(path, data, i) })
	}
	add("sweep_intermediate.png", "What the pruner saw",
		"Each trial's "+pruningFigure+" per epoch (the pruning figure, lower is better whatever the objective's direction): complete trials in blue, pruned ones dashed ending in a cross where they were stopped, failed and running ones dotted grey, the best trial in green.",
		"No trial reported an intermediate value, so there is nothing to plot.",
		func(p string) error { return report.PlotSweepIntermediate(p, pruningFigure, data) })
	return figs, errs
}

// fileSafe matches the characters of a key not kept in a chart's name.
var fileSafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// chartData converts the sweep for package report's charts.
func chartData(spec Spec, params []sweep.Param, trials []sweep.Trial) report.SweepData {
	d := report.SweepData{Metric: spec.Objective.Metric, Maximize: direction(spec) == sweep.Maximize}
	for _, p := range params {
		sp := report.SweepParam{Name: p.Key, Low: p.Low, High: p.High, Log: p.Log}
		for _, c := range p.Choices {
			sp.Choices = append(sp.Choices, formatParam(c))
		}
		d.Params = append(d.Params, sp)
	}
	outcomes := map[sweep.State]report.Outcome{sweep.Complete: report.OutcomeComplete, sweep.Pruned: report.OutcomePruned,
		sweep.Failed: report.OutcomeFailed, sweep.Running: report.OutcomeRunning}
	for _, t := range trials {
		o, ok := outcomes[t.State]
		if !ok {
			o = report.OutcomeFailed
		}
		st := report.SweepTrial{Number: t.Number, Outcome: o, Value: t.Value, Intermediate: t.Intermediate}
		for _, p := range params {
			st.Params = append(st.Params, chartValue(p, t.Params))
		}
		d.Trials = append(d.Trials, st)
	}
	return d
}

// chartValue is p's value in pt as a number (a choice's index), NaN when
// inactive or not a number.
func chartValue(p sweep.Param, pt sweep.Point) float64 {
	v, ok := pt.Get(p.Key)
	if !ok {
		return math.NaN()
	}
	if p.Kind == sweep.Choice {
		for i, c := range p.Choices {
			if reflect.DeepEqual(c, v) || fmt.Sprint(c) == fmt.Sprint(v) {
				return float64(i)
			}
		}
		return math.NaN()
	}
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	case float32:
		return float64(x)
	}
	return math.NaN()
}

// sweepView is what the page template prints.
type sweepView struct {
	Title     string
	Info      []infoRow
	Notes     []string
	Metric    string
	ParamKeys []string
	Space     []spaceRow
	Best      []trialRow
	Figures   []figure
	Trials    []trialRow
}

type infoRow struct{ Key, Value string }

type spaceRow struct{ Key, Domain, When string }

type trialRow struct {
	Rank                   int
	Number                 int
	Link                   string // the trial's report, relative; empty when missing
	State, Value, Duration string
	Error, ErrorFull       string
	Params                 []string // one per ParamKeys; empty when inactive
}

// figure is a chart, or, when Missing is set, the sentence in its place.
type figure struct{ File, Title, Caption, Missing string }

// sweepPage renders a sweepView as a self-contained page: inline CSS, no
// scripts, charts by relative path, all text escaped.
var sweepPage = template.Must(template.New("sweep").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
` + report.PageCSS + `body { max-width: 1100px; }
td.err { color: #a00; max-width: 30em; overflow-wrap: anywhere; }
tr.pruned td, tr.failed td, tr.running td { color: #777; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<table class="info">
{{- range .Info}}
<tr><th>{{.Key}}</th><td>{{.Value}}</td></tr>
{{- end}}
</table>
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
<h2>Search space</h2>
<table>
<tr><th>Parameter</th><th>Domain</th><th>Active when</th></tr>
{{- range .Space}}
<tr><td>{{.Key}}</td><td>{{.Domain}}</td><td>{{.When}}</td></tr>
{{- end}}
</table>
<h2>Best trials</h2>
{{- if .Best}}
<table>
<tr><th>Rank</th><th>Trial</th><th>{{.Metric}}</th><th>Duration</th>{{range .ParamKeys}}<th>{{.}}</th>{{end}}<th>Report</th></tr>
{{- range .Best}}
<tr><td class="num">{{.Rank}}</td><td class="num">{{.Number}}</td><td class="num">{{.Value}}</td><td class="num">{{.Duration}}</td>{{range .Params}}<td>{{.}}</td>{{end}}<td>{{if .Link}}<a href="{{.Link}}">report</a>{{end}}</td></tr>
{{- end}}
</table>
{{- else}}
<p class="note">No trial has completed with a finite objective yet.</p>
{{- end}}
<h2>Charts</h2>
{{- range .Figures}}
{{- if .File}}
<figure>
<img src="{{.File}}" alt="{{.Title}}">
<figcaption><strong>{{.Title}}</strong>. {{.Caption}}</figcaption>
</figure>
{{- else}}
<p class="note"><strong>{{.Title}}</strong>. {{.Missing}}</p>
{{- end}}
{{- end}}
<h2>All trials</h2>
{{- if .Trials}}
<table>
<tr><th>Trial</th><th>State</th><th>{{.Metric}}</th><th>Duration</th>{{range .ParamKeys}}<th>{{.}}</th>{{end}}<th>Error</th></tr>
{{- range .Trials}}
<tr class="{{.State}}"><td class="num">{{if .Link}}<a href="{{.Link}}">{{.Number}}</a>{{else}}{{.Number}}{{end}}</td><td>{{.State}}</td><td class="num">{{.Value}}</td><td class="num">{{.Duration}}</td>{{range .Params}}<td>{{.}}</td>{{end}}<td class="err"{{if .ErrorFull}} title="{{.ErrorFull}}"{{end}}>{{.Error}}</td></tr>
{{- end}}
</table>
{{- else}}
<p class="note">The sweep has no trials yet.</p>
{{- end}}
</body>
</html>
`))
