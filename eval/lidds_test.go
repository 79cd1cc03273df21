package eval

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

const sec = int64(1e9)

// secs converts whole seconds to nanosecond timestamps.
func secs(s ...int64) []int64 {
	out := make([]int64, len(s))
	for i, v := range s {
		out[i] = v * sec
	}
	return out
}

// handRecordings at threshold 0.5 (alarm: score > 0.5):
//
//	A normal:  T T F T F T T        FP 5 in 3 runs, TN 2
//	B exploit at 10s, calls 7..14s: before T T F (FP 2, 1 run, TN 1);
//	           from 10s F F T T F   (FN 3, TP 2), detected after 2s
//	C exploit at 5s, calls 1..5s:   before T F T T (FP 3, 2 runs, TN 1);
//	           at 5s T              (TP 1), detected after 0s
//	D exploit at 100s, calls 1..3s: F T F, all before (FP 1, 1 run, TN 2)
//	E normal:  F T                  FP 1 in a run open at the end, TN 1
//	F exploit at 0s, one call at 3s: T (TP 1), detected after 3s
func handRecordings() []Recording {
	return []Recording{
		{Name: "A", Times: secs(0, 1, 2, 3, 4, 5, 6), Scores: []float64{0.9, 0.9, 0.1, 0.6, 0.2, 0.7, 0.8}},
		{Name: "B", Exploit: true, ExploitStart: 10 * sec, Times: secs(7, 8, 9, 10, 11, 12, 13, 14),
			Scores: []float64{0.9, 0.9, 0.2, 0.3, 0.0, 0.95, 0.99, 0.1}},
		{Name: "C", Exploit: true, ExploitStart: 5 * sec, Times: secs(1, 2, 3, 4, 5), Scores: []float64{0.6, 0.1, 0.7, 0.8, 0.9}},
		{Name: "D", Exploit: true, ExploitStart: 100 * sec, Times: secs(1, 2, 3), Scores: []float64{0.1, 0.6, 0.2}},
		{Name: "E", Times: secs(1, 2), Scores: []float64{0.1, 0.7}},
		{Name: "F", Exploit: true, Times: secs(3), Scores: []float64{0.9}},
	}
}

func TestEvaluateLIDDSHandComputed(t *testing.T) {
	res, err := EvaluateLIDDS(handRecordings(), 0.5)
	if err != nil {
		t.Fatal(err)
	}
	f := func(v float64) *float64 { return &v }
	want := LIDDSResult{
		Threshold: 0.5, Recordings: 6, ExploitCount: 4, Detected: 3, DetectionRate: 0.75,
		TruePositives: 4, FalsePositives: 12, TrueNegatives: 7, FalseNegatives: 3,
		NormalCalls: 19, FalseAlarmsPerCall: 12.0 / 19, FalseAlarmRecordings: 5,
		ConsecutiveFalseAlarmsNormal: 4, ConsecutiveFalseAlarmsExploit: 4, ConsecutiveFalseAlarms: 8,
		PrecisionWithCFA: 3.0 / 11, PrecisionWithSyscalls: 0.2, F1CFA: 0.4,
		MeanLatencyS: f(5.0 / 3), MedianLatencyS: f(2),
		PerRecording: []RecordingResult{
			{Name: "A", Calls: 7, NormalCalls: 7, FalseAlarms: 5, FalseAlarmRuns: 3},
			{Name: "B", Exploit: true, Calls: 8, NormalCalls: 3, FalseAlarms: 2, FalseAlarmRuns: 1, Detected: true, LatencyS: f(2)},
			{Name: "C", Exploit: true, Calls: 5, NormalCalls: 4, FalseAlarms: 3, FalseAlarmRuns: 2, Detected: true, LatencyS: f(0)},
			{Name: "D", Exploit: true, Calls: 3, NormalCalls: 3, FalseAlarms: 1, FalseAlarmRuns: 1},
			{Name: "E", Calls: 2, NormalCalls: 2, FalseAlarms: 1, FalseAlarmRuns: 1},
			{Name: "F", Exploit: true, Calls: 1, Detected: true, LatencyS: f(3)},
		},
	}
	if !nearFloats(res.FalseAlarmsPerCall, want.FalseAlarmsPerCall, res.PrecisionWithCFA, want.PrecisionWithCFA,
		res.PrecisionWithSyscalls, want.PrecisionWithSyscalls, res.F1CFA, want.F1CFA,
		*res.MeanLatencyS, *want.MeanLatencyS) {
		t.Errorf("ratios: got %+v", res)
	}
	res.FalseAlarmsPerCall, res.PrecisionWithCFA = want.FalseAlarmsPerCall, want.PrecisionWithCFA
	res.PrecisionWithSyscalls, res.F1CFA, res.MeanLatencyS = want.PrecisionWithSyscalls, want.F1CFA, want.MeanLatencyS
	if !reflect.DeepEqual(res, want) {
		t.Errorf("got\n%+v\nwant\n%+v", res, want)
	}
}

func nearFloats(pairs ...float64) bool {
	for i := 0; i < len(pairs); i += 2 {
		if !near(pairs[i], pairs[i+1]) {
			return false
		}
	}
	return true
}

// Precomputed alarms as scores 1/0 with threshold 0; no detection gives zero
// ratios and no latency.
func TestEvaluateLIDDSAlarmsAndZeroes(t *testing.T) {
	recs := []Recording{
		{Name: "n", Times: secs(1, 2, 3, 4), Scores: []float64{1, 1, 1, 0}},
		{Name: "x", Exploit: true, ExploitStart: 3 * sec, Times: secs(1, 2, 3, 4), Scores: []float64{0, 1, 0, 0}},
	}
	res, err := EvaluateLIDDS(recs, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.FalsePositives != 4 || res.ConsecutiveFalseAlarms != 2 || res.Detected != 0 ||
		res.DetectionRate != 0 || res.PrecisionWithCFA != 0 || res.F1CFA != 0 ||
		res.MeanLatencyS != nil || res.MedianLatencyS != nil || res.FalseNegatives != 2 {
		t.Errorf("got %+v", res)
	}
	// Without exploit recordings every ratio over them is 0.
	res, err = EvaluateLIDDS(recs[:1], 0.5)
	if err != nil || res.ExploitCount != 0 || res.DetectionRate != 0 || res.FalseAlarmsPerCall != 0.75 {
		t.Errorf("normal only: %+v, %v", res, err)
	}
}

func TestEvaluateLIDDSErrors(t *testing.T) {
	ok := Recording{Times: secs(1), Scores: []float64{0}}
	cases := []struct {
		recs []Recording
		th   float64
	}{
		{nil, 0},
		{[]Recording{ok}, math.NaN()},
		{[]Recording{ok, {Times: secs(1, 2), Scores: []float64{0}}}, 0},
		{[]Recording{{Times: secs(1), Scores: []float64{math.NaN()}}}, 0},
		{[]Recording{{Times: secs(1), Scores: []float64{math.Inf(1)}}}, 0},
	}
	for i, c := range cases {
		if _, err := EvaluateLIDDS(c.recs, c.th); err == nil {
			t.Errorf("case %d succeeded, want an error", i)
		}
	}
}

// lidPerf ports the counting of LID-DS's PerformanceMeasurement
// (new_recording, analyze_syscall, get_performance) line by line.
type lidPerf struct {
	th                          float64
	exploit                     *int64
	alarm                       bool
	fp, tp, tn, fn, alarms, exp int
	cfpExp, streamExp           int
	waitExp                     bool
	cfpNorm, streamNorm         int
	waitNorm                    bool
}

func (p *lidPerf) endExp() {
	if p.waitExp && p.streamExp > 0 {
		p.streamExp, p.waitExp = 0, false
		p.cfpExp++
	}
}

func (p *lidPerf) endNorm() {
	if p.waitNorm && p.streamNorm > 0 {
		p.streamNorm, p.waitNorm = 0, false
		p.cfpNorm++
	}
}

func (p *lidPerf) newRecording(r Recording) {
	p.alarm = false
	p.exploit = nil
	if r.Exploit {
		start := r.ExploitStart
		p.exploit = &start
		p.exp++
	}
	p.endExp()
	p.endNorm()
}

func (p *lidPerf) analyze(t int64, s float64) {
	if p.exploit != nil {
		switch {
		case s > p.th && *p.exploit > t:
			p.fp++
			p.streamExp++
			p.waitExp = true
		case s > p.th:
			p.endExp()
			p.tp++
			if !p.alarm {
				p.alarms++
				p.alarm = true
			}
		default:
			p.endExp()
			if *p.exploit > t {
				p.tn++
			} else {
				p.fn++
			}
		}
		return
	}
	if s > p.th {
		p.fp++
		p.streamNorm++
		p.waitNorm = true
	} else {
		p.endNorm()
		p.tn++
	}
}

// The port, fed one empty normal recording at the end so that LID-DS closes
// the last run too, must agree with EvaluateLIDDS on random recordings.
func TestEvaluateLIDDSMatchesPort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		recs := make([]Recording, 1+r.IntN(6))
		for i := range recs {
			n := r.IntN(30)
			rec := Recording{Exploit: r.IntN(2) == 0, ExploitStart: int64(r.IntN(35)) * sec}
			for k := 0; k < n; k++ {
				rec.Times = append(rec.Times, int64(k)*sec+int64(r.IntN(5))*sec/2) // not always increasing
				rec.Scores = append(rec.Scores, float64(r.IntN(4))/4)
			}
			recs[i] = rec
		}
		th := float64(r.IntN(4)) / 4
		p := &lidPerf{th: th}
		for _, rec := range append(recs, Recording{}) {
			p.newRecording(rec)
			for k, s := range rec.Scores {
				p.analyze(rec.Times[k], s)
			}
		}
		res, err := EvaluateLIDDS(recs, th)
		if err != nil {
			t.Fatal(err)
		}
		got := [...]int{res.FalsePositives, res.TruePositives, res.TrueNegatives, res.FalseNegatives,
			res.Detected, res.ExploitCount, res.ConsecutiveFalseAlarmsExploit, res.ConsecutiveFalseAlarmsNormal}
		want := [...]int{p.fp, p.tp, p.tn, p.fn, p.alarms, p.exp, p.cfpExp, p.cfpNorm}
		if got != want {
			t.Fatalf("trial %d: got %v, LID-DS port %v", trial, got, want)
		}
	}
}
