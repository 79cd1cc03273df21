package sweeprun

import (
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/experiments/sweep"
)

func reportSpace(t *testing.T) *sweep.Space {
	t.Helper()
	space, err := sweep.Decode(map[string]any{
		"train.lr":   map[string]any{"float": []any{1e-4, 1e-2}, "log": true},
		"model.kind": map[string]any{"choice": []any{"a", "b"}},
		"model.x":    map[string]any{"int": []any{1, 8}, "when": map[string]any{"model.kind": []any{"b"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return space
}

func reportSpec(dir sweep.Direction) Spec {
	return Spec{Name: "demo_sweep", Base: "vaegan_quickstart", Set: []string{"train.epochs=3"},
		Sampler: "tpe", Pruner: "median", Seed: 1, Budget: Budget{Trials: 8},
		Objective: Objective{Metric: "systems.0.auc", Direction: dir}}
}

// point builds a checked point of space from key=value pairs.
func point(t *testing.T, space *sweep.Space, kv ...any) sweep.Point {
	t.Helper()
	var pt sweep.Point
	for i := 0; i < len(kv); i += 2 {
		pt = append(pt, sweep.Setting{Key: kv[i].(string), Value: kv[i+1]})
	}
	pt, err := space.Canonical(pt)
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

// reportTrials are one trial of each kind: complete (trials 0, 2, 5),
// pruned with intermediate values (1), failed with markup in its error (3),
// and complete with a NaN objective (4).
func reportTrials(t *testing.T, space *sweep.Space) []sweep.Trial {
	start := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return start.Add(time.Duration(min) * time.Minute) }
	return []sweep.Trial{
		{Number: 0, State: sweep.Complete, Value: 0.25, Params: point(t, space, "model.kind", "a", "train.lr", 1e-3),
			Intermediate: map[int]float64{1: 0.9, 2: 0.7, 3: 0.6}, Start: at(0), End: at(2)},
		{Number: 1, State: sweep.Pruned, Params: point(t, space, "model.kind", "b", "model.x", 4, "train.lr", 5e-3),
			Intermediate: map[int]float64{1: 1.4, 2: 1.3}, Start: at(0), End: at(1)},
		{Number: 2, State: sweep.Complete, Value: 0.125, Params: point(t, space, "model.kind", "b", "model.x", 8, "train.lr", 2e-4),
			Intermediate: map[int]float64{1: 0.8, 2: 0.5, 3: 0.4}, Start: at(2), End: at(5)},
		{Number: 3, State: sweep.Failed, Error: `<script>alert("x")</script> ` + strings.Repeat("long ", 100),
			Params: point(t, space, "model.kind", "a", "train.lr", 1e-2), Start: at(5), End: at(5)},
		{Number: 4, State: sweep.Complete, Value: math.NaN(), Params: point(t, space, "model.kind", "b", "model.x", 1, "train.lr", 1e-4),
			Intermediate: map[int]float64{1: math.NaN()}, Start: at(5), End: at(7)},
		{Number: 5, State: sweep.Complete, Value: 0.5, Params: point(t, space, "model.kind", "a", "train.lr", 3e-3),
			Intermediate: map[int]float64{1: 1.0, 2: 0.9, 3: 0.8}, Start: at(7), End: at(9)},
	}
}

var (
	tagRE     = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*>`)
	imgRE     = regexp.MustCompile(`<img src="([^"]+)"`)
	errCellRE = regexp.MustCompile(`<td class="err" title="[^"]*">([^<]+)</td>`)
	bestRowR  = regexp.MustCompile(`<tr><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">([^<]*)</td>`)
)

// checkBalanced reports the first misnested or unclosed element of page,
// and any raw '<' or '>' outside a tag or the style block (as
// eval/report's test of its pages does).
func checkBalanced(page string) error {
	if !strings.HasPrefix(page, "<!DOCTYPE html>") {
		return fmt.Errorf("missing doctype")
	}
	body := page[len("<!DOCTYPE html>"):]
	void := map[string]bool{"meta": true, "img": true, "br": true, "hr": true, "link": true}
	var stack []string
	last := 0
	for _, m := range tagRE.FindAllStringSubmatchIndex(body, -1) {
		text := body[last:m[0]]
		inStyle := len(stack) > 0 && stack[len(stack)-1] == "style"
		if !inStyle && strings.ContainsAny(text, "<>") {
			return fmt.Errorf("raw angle bracket in text %q", text)
		}
		last = m[1]
		closing := body[m[2]:m[3]] == "/"
		name := strings.ToLower(body[m[4]:m[5]])
		switch {
		case void[name]:
		case closing:
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return fmt.Errorf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		default:
			stack = append(stack, name)
		}
	}
	if len(stack) != 0 {
		return fmt.Errorf("unclosed elements %v", stack)
	}
	return nil
}

// readReport runs writeReport into a new folder and returns the folder and
// the checked page: well-formed, and every image it shows a PNG there.
func readReport(t *testing.T, spec Spec, space *sweep.Space, trials []sweep.Trial, setup func(dir string)) (string, string) {
	t.Helper()
	dir := t.TempDir()
	if setup != nil {
		setup(dir)
	}
	if err := writeReport(dir, spec, space, trials); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if err := checkBalanced(page); err != nil {
		t.Fatalf("report.html is not well-formed: %v", err)
	}
	for _, m := range imgRE.FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "sweep_") || !strings.HasSuffix(m[1], ".png") {
			t.Errorf("image %q is not named sweep_*.png", m[1])
		}
		f, err := os.Open(filepath.Join(dir, m[1]))
		if err != nil {
			t.Errorf("image %q: %v", m[1], err)
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("image %q: %v", m[1], err)
		} else if b := img.Bounds(); b.Dx() == 0 || b.Dy() == 0 {
			t.Errorf("image %q is %dx%d", m[1], b.Dx(), b.Dy())
		}
	}
	return dir, page
}

func images(page string) []string {
	var out []string
	for _, m := range imgRE.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

// bestOrder returns the trial numbers and values of the best-trials table.
func bestOrder(t *testing.T, page string) (numbers, values []string) {
	t.Helper()
	i, j := strings.Index(page, "<h2>Best trials</h2>"), strings.Index(page, "<h2>Charts</h2>")
	if i < 0 || j < i {
		t.Fatal("no best-trials section")
	}
	for k, m := range bestRowR.FindAllStringSubmatch(page[i:j], -1) {
		if m[1] != fmt.Sprint(k+1) {
			t.Errorf("best row %d has rank %s", k, m[1])
		}
		numbers, values = append(numbers, m[2]), append(values, m[3])
	}
	return numbers, values
}

func TestReportMinimize(t *testing.T) {
	space := reportSpace(t)
	dir, page := readReport(t, reportSpec(sweep.Minimize), space, reportTrials(t, space), func(dir string) {
		if err := os.MkdirAll(filepath.Join(dir, "trial-0002"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "trial-0002", "report.html"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	numbers, values := bestOrder(t, page)
	if got, want := strings.Join(numbers, ","), "2,0,5"; got != want {
		t.Errorf("best trials %s, want %s (ascending, NaN left out)", got, want)
	}
	if got, want := strings.Join(values, ","), "0.1250,0.2500,0.5000"; got != want {
		t.Errorf("best values %s, want %s", got, want)
	}
	for _, want := range []string{
		"<title>Sweep demo_sweep</title>", "vaegan_quickstart", "train.epochs=3", "tpe (seed 1)", "median",
		"systems.0.auc (minimize)", "6: 4 complete, 1 pruned, 1 failed, 0 running", "8 trials",
		`<a href="trial-0002/report.html">`, "2m0s", "&lt;script&gt;", "1 complete trial(s) have a NaN objective",
		"<th>model.kind</th><th>model.x</th><th>train.lr</th>", "<td>a</td><td></td><td>0.001</td>", // trial 0: model.x inactive
		"model.kind in {b}", "float in [0.0001, 0.01], log scale",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "trial-0000/report.html") {
		t.Error("report holds a raw <script> or a link to a missing trial report")
	}
	if m := errCellRE.FindStringSubmatch(page); m == nil || !strings.HasSuffix(m[1], "\u2026") ||
		strings.Count(m[1], "long") > 40 {
		t.Errorf("the failed trial's error cell is missing or not truncated: %v", m)
	}
	want := []string{"sweep_history.png", "sweep_parallel.png", "sweep_param_0_model.kind.png",
		"sweep_param_1_model.x.png", "sweep_param_2_train.lr.png", "sweep_intermediate.png"}
	if got := images(page); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("images %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "sweep_history.png")); err != nil {
		t.Error(err)
	}
}

func TestReportMaximize(t *testing.T) {
	space := reportSpace(t)
	_, page := readReport(t, reportSpec(sweep.Maximize), space, reportTrials(t, space), nil)
	numbers, values := bestOrder(t, page)
	if got, want := strings.Join(numbers, ","), "5,0,2"; got != want {
		t.Errorf("best trials %s, want %s (descending)", got, want)
	}
	if values[0] != "0.5000" {
		t.Errorf("best value %s, want 0.5000", values[0])
	}
}

func TestReportNoCompleteTrial(t *testing.T) {
	space := reportSpace(t)
	trials := reportTrials(t, space)
	trials = []sweep.Trial{trials[1], trials[3]} // pruned and failed
	_, page := readReport(t, reportSpec(sweep.Minimize), space, trials, nil)
	if n, _ := bestOrder(t, page); len(n) != 0 {
		t.Errorf("best table lists %v", n)
	}
	for _, want := range []string{"No trial has completed with a finite objective yet.",
		"No complete trial has a finite objective yet, so there is nothing to plot.",
		"No complete trial with a finite objective has train.lr"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The pruned trial's intermediate values are still drawn.
	if got := images(page); strings.Join(got, " ") != "sweep_intermediate.png" {
		t.Errorf("images %v, want only sweep_intermediate.png", got)
	}
}

func TestReportNoTrialsAndOneTrial(t *testing.T) {
	space := reportSpace(t)
	_, page := readReport(t, reportSpec(sweep.Minimize), space, nil, nil)
	if len(images(page)) != 0 || !strings.Contains(page, "The sweep has no trials yet.") ||
		!strings.Contains(page, "No trial reported an intermediate value") {
		t.Errorf("empty sweep: images %v, or sentences missing", images(page))
	}
	one := reportTrials(t, space)[2:3]
	one[0].Number = 0
	_, page = readReport(t, reportSpec(sweep.Minimize), space, one, nil)
	if n, _ := bestOrder(t, page); strings.Join(n, ",") != "0" {
		t.Errorf("one trial: best %v", n)
	}
	if got := len(images(page)); got != 6 {
		t.Errorf("one trial: %d images %v, want 6", got, images(page))
	}
}
