package retrain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/experiments"
)

// ShadowOptions configure a shadow comparison: a candidate model, trained
// elsewhere (a sweep's best trial, another pipeline), scores the same
// traffic as the served champion without serving it, and replaces the
// champion only when it is statistically better.
type ShadowOptions struct {
	// Champion is the served directory; Candidate a finished run directory.
	Champion, Candidate string
	// Sets describe the traffic both score: the candidate's config with
	// these overrides (at least the new data window).
	Sets []string
	// Out holds both scorings and shadow.json; default
	// <champion>.releases/shadow-<UTC date and time>.
	Out string
	// Metric, Minimize, Margin, Test, Alpha and Drift decide as in
	// Options; Test is required.
	Metric   string
	Minimize bool
	Margin   float64
	Test     string
	Alpha    float64
	Drift    DriftConfig
	Options  Options // Registry, Log and Now are taken from here
}

// Shadow scores the traffic with both models, tests the inputs and the
// champion's outputs for drift, runs the paired test on their hold-out
// scores and, when the candidate wins, promotes it: the candidate's run
// is copied to <champion>.releases/<its name>-<date> and served from there,
// so that rollbacks find it like any release.
func Shadow(ctx context.Context, s ShadowOptions) (Report, error) {
	start := time.Now()
	o := s.Options
	o.Champion, o.Sets, o.Metric, o.Minimize, o.Margin, o.Test, o.Alpha, o.Drift = s.Champion, s.Sets, s.Metric, s.Minimize, s.Margin, s.Test, s.Alpha, s.Drift
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Metric == "" || o.Test == "" {
		return Report{}, errors.New("shadow: a metric and a paired test are required (a candidate replaces the champion only when statistically better)")
	}
	if err := o.checkTest(); err != nil {
		return Report{}, err
	}
	champ, err := Current(s.Champion)
	if err != nil {
		return Report{}, fmt.Errorf("shadow: champion: %w", err)
	}
	cand, err := filepath.Abs(s.Candidate)
	if err != nil {
		return Report{}, err
	}
	if cand == champ {
		return Report{Decision: Kept, Reason: "the candidate already serves", ChampionDir: champ, ChallengerDir: cand}, nil
	}
	raw, err := os.ReadFile(filepath.Join(cand, "config.json"))
	if err != nil {
		return Report{}, fmt.Errorf("shadow: candidate: %w (is %s a run directory?)", err, cand)
	}
	cfg, err := experiments.Parse(raw, s.Sets)
	if err != nil {
		return Report{}, fmt.Errorf("shadow: the traffic's config (the candidate's with %v): %w", s.Sets, err)
	}
	champRaw, err := os.ReadFile(filepath.Join(champ, "config.json"))
	if err != nil {
		return Report{}, fmt.Errorf("shadow: champion %s: %w", champ, err)
	}
	old, err := experiments.Parse(champRaw, nil)
	if err != nil {
		return Report{}, err
	}
	if s.Out == "" {
		s.Out = filepath.Join(releasesDir(s.Champion), "shadow-"+o.Now().UTC().Format("20060102-150405"))
	}
	candOut, champOut := filepath.Join(s.Out, "candidate"), filepath.Join(s.Out, "champion")
	o.Out = candOut
	rep := Report{ChampionDir: champ, ChallengerDir: cand}
	o.Log.Info("shadow: scoring the traffic", "sets", strings.Join(s.Sets, " "), "out", s.Out)
	for _, m := range []struct{ run, out string }{{cand, candOut}, {champ, champOut}} {
		if _, err := experiments.EvaluateOn(ctx, m.run, cfg, experiments.RunOptions{Out: m.out, Log: o.Log}); err != nil {
			return rep, fmt.Errorf("shadow: %s on the traffic: %w", m.run, err)
		}
	}
	if rep.Drift, err = inputDriftTests(ctx, old, cfg, o); err != nil {
		return rep, err
	}
	if err := assess(o, &rep, champ, champOut); err != nil {
		return rep, err
	}
	rep.ChallengerDir = cand
	if rep.Decision == Promoted {
		if err := adopt(s.Champion); err != nil {
			return rep, fmt.Errorf("shadow: %w", err)
		}
		release := filepath.Join(releasesDir(s.Champion), filepath.Base(cand)+"-"+o.Now().UTC().Format("20060102-150405"))
		if err := os.CopyFS(release, os.DirFS(cand)); err != nil {
			return rep, fmt.Errorf("shadow: copy the candidate into the releases: %w", err)
		}
		if err := swap(s.Champion, release); err != nil {
			return rep, fmt.Errorf("shadow: promote: %w", err)
		}
		if err := stamp(release); err != nil {
			return rep, err
		}
		rep.ChallengerDir = release
	}
	rep.Seconds = time.Since(start).Seconds()
	b, _ := json.MarshalIndent(rep, "", "  ")
	if err := os.WriteFile(filepath.Join(s.Out, "shadow.json"), append(b, '\n'), 0o644); err != nil {
		return rep, err
	}
	return rep, record(ctx, o, rep)
}
