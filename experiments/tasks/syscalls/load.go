package syscalls

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"

	ds "github.com/vigil-ml/vigil/datasets/syscalls"
)

// splits are the raw traces of each part of the protocol.
type splits struct {
	train, val, testNormal, testAttack []ds.Trace
	// note explains how the splits were made, for the report.
	note string
}

// readSplits reads or generates the traces and splits them: training
// traces, normal validation traces (thresholds, early stopping), normal
// test traces and attack test traces.
func readSplits(d DataConfig, seed uint64) (*splits, error) {
	if d.SplitSeed != 0 {
		seed = d.SplitSeed
	}
	rng := rand.New(rand.NewPCG(seed, 0x5c))
	s := &splits{}
	switch d.Kind {
	case "adfa":
		var valPool []ds.Trace
		if err := collect(ds.ReadADFA(d.Path), func(t ds.Trace) {
			switch {
			case t.Label == ds.Attack:
				s.testAttack = append(s.testAttack, t)
			case t.Split == ds.SplitTrain:
				s.train = append(s.train, t)
			default:
				valPool = append(valPool, t)
			}
		}); err != nil {
			return nil, err
		}
		s.val, s.testNormal = cut(valPool, d.ValidationFraction, rng)
		s.note = fmt.Sprintf("ADFA-LD: trained on Training_Data_Master; %.0f%% of Validation_Data_Master (drawn by the seed) set thresholds and early stopping, the rest are normal test traces; Attack_Data_Master are the attack test traces.", 100*d.ValidationFraction)
	case "unm":
		normal, err := unmFolder(filepath.Join(d.Path, "normal"), ds.Normal)
		if err != nil {
			return nil, err
		}
		if s.testAttack, err = unmFolder(filepath.Join(d.Path, "attack"), ds.Attack); err != nil {
			return nil, err
		}
		var rest []ds.Trace
		s.val, rest = cut(normal, d.ValidationFraction, rng)
		s.testNormal, s.train = cut(rest, d.ValidationFraction/(1-d.ValidationFraction), rng)
		s.note = fmt.Sprintf("UNM: one trace per process; normal traces drawn by the seed into %.0f%% validation, %.0f%% normal test and the rest training; every trace in attack/ is an attack test trace.", 100*d.ValidationFraction, 100*d.ValidationFraction)
	case "lidds2021", "lidds2019":
		if err := s.readLIDDS(d); err != nil {
			return nil, err
		}
	case "synthetic":
		sc := ds.SyntheticConfig{Train: d.Synthetic.Train, Validation: d.Synthetic.Validation, TestNormal: d.Synthetic.TestNormal,
			TestAttack: d.Synthetic.TestAttack, MinCalls: d.Synthetic.MinCalls, MaxCalls: d.Synthetic.MaxCalls}
		gs := d.Synthetic.Seed
		if gs == 0 {
			gs = seed
		}
		for _, t := range ds.Synthetic(sc, rand.New(rand.NewPCG(gs, 0x5ca11))) {
			s.add(t)
		}
		s.note = "Synthetic traces: programs written as call grammars, several processes and threads, attacks planted as call sequences of five families."
	default:
		return nil, fmt.Errorf("data.kind %q", d.Kind)
	}
	if d.MaxTraces > 0 {
		for _, p := range []*[]ds.Trace{&s.train, &s.val, &s.testNormal, &s.testAttack} {
			rng.Shuffle(len(*p), func(i, j int) { (*p)[i], (*p)[j] = (*p)[j], (*p)[i] })
			*p = (*p)[:min(len(*p), d.MaxTraces)]
		}
	}
	for name, p := range map[string][]ds.Trace{"training": s.train, "normal validation": s.val, "attack test": s.testAttack} {
		if len(p) == 0 {
			return nil, fmt.Errorf("data: %s has no %s traces", d.Path, name)
		}
	}
	return s, nil
}

// add files a trace by its label and split.
func (s *splits) add(t ds.Trace) {
	switch {
	case t.Split == ds.SplitTrain:
		s.train = append(s.train, t)
	case t.Split == ds.SplitValidation:
		s.val = append(s.val, t)
	case t.Label == ds.Attack:
		s.testAttack = append(s.testAttack, t)
	default:
		s.testNormal = append(s.testNormal, t)
	}
}

// readLIDDS reads a LID-DS scenario's recordings (enter events only).
func (s *splits) readLIDDS(d DataConfig) error {
	f := ds.Filter{Dir: ds.DirEnter, DropSwitch: true}
	traces := ds.ReadLIDDS2021(d.Path, f)
	if d.Kind == "lidds2019" {
		traces = ds.ReadLIDDS2019(d.Path, ds.LIDDS2019TrainSize, ds.LIDDS2019ValidationSize, f)
	}
	var all []ds.Trace
	if err := collect(traces, func(t ds.Trace) { all = append(all, t) }); err != nil {
		return err
	}
	for _, t := range all {
		s.add(t)
	}
	s.note = "LID-DS: enter events; recordings split as the scenario's training, validation and test folders (runs.csv for LID-DS 2019)."
	if len(s.train) > 0 || !d.TrainBeforeExploit {
		if len(s.train) == 0 {
			return fmt.Errorf("data: %s has no training recordings (a folder of test recordings only? set data.train_before_exploit to train on the calls before each exploit)", d.Path)
		}
		return nil
	}
	// A folder without training recordings: the first half of the calls
	// before each exploit trains, the second half validates, and the whole
	// recording is tested.
	s.val = nil
	for _, t := range all {
		if t.ExploitStart == 0 {
			continue
		}
		n := 0
		for n < len(t.Calls) && t.Calls[n].Time < t.ExploitStart {
			n++
		}
		if n < 4 {
			continue
		}
		s.train = append(s.train, ds.Trace{ID: t.ID + "#before-exploit-1", Calls: t.Calls[:n/2]})
		s.val = append(s.val, ds.Trace{ID: t.ID + "#before-exploit-2", Calls: t.Calls[n/2 : n]})
	}
	s.note = "LID-DS sample without training recordings: the first half of the calls before each exploit trains, the second half sets the thresholds, and the whole recordings are tested, so their normal calls were seen in training: this run exercises the format, the metrics and the latency, it is not a benchmark."
	return nil
}

// collect runs f on every trace of seq, stopping at the first error.
func collect(seq iter.Seq2[ds.Trace, error], f func(ds.Trace)) error {
	for t, err := range seq {
		if err != nil {
			return err
		}
		f(t)
	}
	return nil
}

// cut draws a fraction of ts (by rng) and returns it and the rest, both in
// their original order.
func cut(ts []ds.Trace, fraction float64, rng *rand.Rand) (picked, rest []ds.Trace) {
	k := int(fraction*float64(len(ts)) + 0.5)
	k = max(min(k, len(ts)-1), min(1, len(ts)))
	chosen := map[int]bool{}
	for _, i := range rng.Perm(len(ts))[:k] {
		chosen[i] = true
	}
	for i, t := range ts {
		if chosen[i] {
			picked = append(picked, t)
		} else {
			rest = append(rest, t)
		}
	}
	return picked, rest
}

// unmFolder reads every file of dir as UNM traces (one per process id).
func unmFolder(dir string, label ds.Label) ([]ds.Trace, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && e.Name()[0] != '.' {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []ds.Trace
	for _, n := range names {
		ts, err := ds.ReadUNMFile(filepath.Join(dir, n), label, ds.SplitNone)
		if err != nil {
			return nil, err
		}
		out = append(out, ts...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("data: no traces in %s", dir)
	}
	return out, nil
}
