package report

import (
	"path/filepath"

	"github.com/vigil-ml/vigil/eval"
)

// view is a Report reduced to the strings the page template prints.
type view struct {
	Title   string
	Info    []infoRow
	Notes   []string
	Summary []summaryRow
	Groups  []opGroup
	Anchors []anchorRow
	Images  []Image
	Tables  []Table
}

type infoRow struct{ Key, Value string }

type summaryRow struct{ System, AUC, Positives, Negatives string }

// opGroup holds the operating points of one thresholding mode, rows ordered
// by target then system so that systems at the same target sit together.
type opGroup struct {
	Mode string
	Rows []opRow
}

type opRow struct {
	System, Target, Hit, FA, Cost string
	First                         bool // first row of its target
}

type anchorRow struct{ Name, Source, Updating, Hit, FA, Cost string }

func newView(r Report) view {
	v := view{Title: r.Title, Notes: r.Notes, Tables: r.Tables}
	if v.Title == "" {
		v.Title = DefaultTitle
	}
	date := ""
	if !r.Date.IsZero() {
		date = r.Date.Format("2006-01-02 15:04 MST")
	}
	for _, kv := range []infoRow{{"Config", r.Config}, {"Date", date}, {"Machine", r.Machine}, {"Commit", r.Commit}} {
		if kv.Value != "" {
			v.Info = append(v.Info, kv)
		}
	}
	for _, s := range r.Systems {
		v.Summary = append(v.Summary, summaryRow{
			System:    s.Name,
			AUC:       formatAUC(s.Result.AUC),
			Positives: formatCount(s.Result.Positives),
			Negatives: formatCount(s.Result.Negatives),
		})
	}
	v.Groups = []opGroup{
		opRows("Pooled threshold (one for all users)", r.Systems, func(res eval.SEAResult) []eval.TargetResult { return res.Pooled }),
		opRows("Per-user thresholds (from training data)", r.Systems, func(res eval.SEAResult) []eval.TargetResult { return res.PerUser }),
	}
	for _, a := range r.Anchors {
		upd := "no"
		if a.Updating {
			upd = "yes"
		}
		v.Anchors = append(v.Anchors, anchorRow{
			Name: a.Name, Source: a.Source, Updating: upd,
			Hit: formatHit(a.HitRate), FA: formatFA(a.FalseAlarmRate), Cost: formatCost(a.Cost),
		})
	}
	for _, im := range r.Images {
		im.File = filepath.ToSlash(im.File)
		v.Images = append(v.Images, im)
	}
	return v
}

// opRows lists, for every target any system reports (in order of first
// appearance), each system's result at that target.
func opRows(mode string, systems []System, pick func(eval.SEAResult) []eval.TargetResult) opGroup {
	g := opGroup{Mode: mode}
	var targets []float64
	seen := map[float64]bool{}
	for _, s := range systems {
		for _, tr := range pick(s.Result) {
			if !seen[tr.TargetFA] {
				seen[tr.TargetFA] = true
				targets = append(targets, tr.TargetFA)
			}
		}
	}
	for _, t := range targets {
		first := true
		for _, s := range systems {
			for _, tr := range pick(s.Result) {
				if tr.TargetFA != t {
					continue
				}
				g.Rows = append(g.Rows, opRow{
					System: s.Name, Target: formatTarget(t), Hit: formatHit(tr.HitRate),
					FA: formatFA(tr.FalseAlarmRate), Cost: formatCost(tr.Cost), First: first,
				})
				first = false
				break
			}
		}
	}
	return g
}
