package eval

import (
	"fmt"
	"math"
	"slices"
)

// Recording is one LID-DS recording: per-call anomaly scores in call order,
// each call's timestamp in nanoseconds, and, for an exploit recording, the
// exploit start on the same clock. To evaluate precomputed alarms, give
// alarming calls score 1, the others 0, and use threshold 0.
type Recording struct {
	Name         string    `json:"name"`
	Exploit      bool      `json:"exploit"`
	ExploitStart int64     `json:"exploit_start_ns"`
	Times        []int64   `json:"times_ns"`
	Scores       []float64 `json:"scores"`
}

// RecordingResult is one recording's outcome. NormalCalls are the calls of
// a normal recording or the calls before the exploit start; FalseAlarms of
// them alarm, in FalseAlarmRuns maximal runs of consecutive calls. An
// exploit recording is Detected when a call at or after the exploit start
// alarms; LatencyS is then the time in seconds from the exploit start to the
// first such call in call order.
type RecordingResult struct {
	Name           string   `json:"name"`
	Exploit        bool     `json:"exploit"`
	Calls          int      `json:"calls"`
	NormalCalls    int      `json:"normal_calls"`
	FalseAlarms    int      `json:"false_alarms"`
	FalseAlarmRuns int      `json:"false_alarm_runs"`
	Detected       bool     `json:"detected"`
	LatencyS       *float64 `json:"latency_s,omitempty"`
}

// LIDDSResult holds the LID-DS metrics; JSON names follow LID-DS where it
// has them. Call-level counts: TruePositives and FalseNegatives are alarming
// and silent calls at or after an exploit start, FalsePositives and
// TrueNegatives alarming and silent normal calls (see RecordingResult), and
// FalseAlarmsPerCall = FalsePositives/NormalCalls. Recording-level counts:
// ExploitCount exploit recordings, Detected of them detected,
// DetectionRate = Detected/ExploitCount (LID-DS "recall"), and
// FalseAlarmRecordings recordings with at least one false alarm.
// ConsecutiveFalseAlarms* count runs of consecutive false alarms, each run
// once, in normal and in exploit recordings. Latency statistics are over
// detected recordings, nil when none is detected. Ratios with a zero
// denominator are 0, as in LID-DS.
type LIDDSResult struct {
	Threshold                     float64           `json:"threshold"`
	Recordings                    int               `json:"recordings"`
	ExploitCount                  int               `json:"exploit_count"`
	Detected                      int               `json:"correct_alarm_count"`
	DetectionRate                 float64           `json:"detection_rate"`
	TruePositives                 int               `json:"true_positives"`
	FalsePositives                int               `json:"false_positives"`
	TrueNegatives                 int               `json:"true_negatives"`
	FalseNegatives                int               `json:"false_negatives"`
	NormalCalls                   int               `json:"normal_calls"`
	FalseAlarmsPerCall            float64           `json:"false_alarms_per_call"`
	FalseAlarmRecordings          int               `json:"false_alarm_recordings"`
	ConsecutiveFalseAlarmsNormal  int               `json:"consecutive_false_positives_normal"`
	ConsecutiveFalseAlarmsExploit int               `json:"consecutive_false_positives_exploits"`
	ConsecutiveFalseAlarms        int               `json:"consecutive_false_positives"`
	PrecisionWithCFA              float64           `json:"precision_with_cfa"`
	PrecisionWithSyscalls         float64           `json:"precision_with_syscalls"`
	F1CFA                         float64           `json:"f1_cfa"`
	MeanLatencyS                  *float64          `json:"mean_detection_delay_s,omitempty"`
	MedianLatencyS                *float64          `json:"median_detection_delay_s,omitempty"`
	PerRecording                  []RecordingResult `json:"per_recording"`
}

// EvaluateLIDDS computes the metrics of the LID-DS library
// (github.com/LID-DS/LID-DS, algorithms/performance_measurement.py) with
// score > threshold alarming. A call is before the exploit when its time is
// earlier than ExploitStart; a call at or after it belongs to the exploit.
// Each recording contributes:
//
//   - normal recording: every call is a normal call; alarms are false
//     positives.
//   - exploit recording: calls before the exploit are normal calls as above;
//     alarming calls at or after it are true positives and the first of them
//     detects the recording; silent ones are false negatives. Exploit
//     recordings with no calls after the start still count in ExploitCount.
//
// A run of consecutive alarming normal calls is one consecutive false alarm;
// a silent call, a call of the exploit, or the end of the recording ends the
// run (LID-DS leaves a run still open after the last recording uncounted;
// here it counts). The summaries are
//
//	precision_with_cfa      = Detected / (Detected + ConsecutiveFalseAlarms)
//	precision_with_syscalls = Detected / (Detected + FalsePositives)
//	f1_cfa                  = 2 P R / (P + R), P = precision_with_cfa, R = DetectionRate
//
// as in LID-DS (f1_cfa from its later Performance.get_results). Latency,
// which LID-DS does not report, is seconds from the exploit start to the
// first alarming call at or after it, in call order. For the LID-DS
// threshold, the largest score on the validation recordings, pass
// ThresholdForFalseAlarm(validationScores, 0).
//
// Errors: no recordings, threshold NaN, a recording whose Times and Scores
// differ in length, or a non-finite score.
func EvaluateLIDDS(recs []Recording, threshold float64) (LIDDSResult, error) {
	if len(recs) == 0 {
		return LIDDSResult{}, fmt.Errorf("eval: no recordings to evaluate")
	}
	if math.IsNaN(threshold) {
		return LIDDSResult{}, fmt.Errorf("eval: threshold is NaN")
	}
	res := LIDDSResult{Threshold: threshold, Recordings: len(recs)}
	var delays []float64
	for i, rec := range recs {
		if len(rec.Times) != len(rec.Scores) {
			return LIDDSResult{}, fmt.Errorf("eval: recording %d (%q): %d times but %d scores", i, rec.Name, len(rec.Times), len(rec.Scores))
		}
		if err := checkFinite(rec.Scores); err != nil {
			return LIDDSResult{}, fmt.Errorf("eval: recording %d (%q): %w", i, rec.Name, err)
		}
		r := res.add(rec, threshold)
		if r.LatencyS != nil {
			delays = append(delays, *r.LatencyS)
		}
		res.PerRecording = append(res.PerRecording, r)
	}
	res.summarise(delays)
	return res, nil
}

// add scores one recording, adds its counts to res and returns its result.
func (res *LIDDSResult) add(rec Recording, threshold float64) RecordingResult {
	r := RecordingResult{Name: rec.Name, Exploit: rec.Exploit, Calls: len(rec.Scores)}
	inRun := false
	for i, s := range rec.Scores {
		alarm := s > threshold
		if rec.Exploit && rec.Times[i] >= rec.ExploitStart {
			inRun = false
			if !alarm {
				res.FalseNegatives++
				continue
			}
			res.TruePositives++
			if !r.Detected {
				r.Detected = true
				d := float64(rec.Times[i]-rec.ExploitStart) / 1e9
				r.LatencyS = &d
			}
			continue
		}
		r.NormalCalls++
		if !alarm {
			res.TrueNegatives++
			inRun = false
			continue
		}
		r.FalseAlarms++
		if !inRun {
			r.FalseAlarmRuns++
			inRun = true
		}
	}
	res.NormalCalls += r.NormalCalls
	res.FalsePositives += r.FalseAlarms
	if r.FalseAlarms > 0 {
		res.FalseAlarmRecordings++
	}
	if rec.Exploit {
		res.ExploitCount++
		res.ConsecutiveFalseAlarmsExploit += r.FalseAlarmRuns
		if r.Detected {
			res.Detected++
		}
	} else {
		res.ConsecutiveFalseAlarmsNormal += r.FalseAlarmRuns
	}
	return r
}

// summarise fills the ratios and latency statistics from the counts.
func (res *LIDDSResult) summarise(delays []float64) {
	res.ConsecutiveFalseAlarms = res.ConsecutiveFalseAlarmsNormal + res.ConsecutiveFalseAlarmsExploit
	res.DetectionRate = ratioOrZero(res.Detected, res.ExploitCount)
	res.FalseAlarmsPerCall = ratioOrZero(res.FalsePositives, res.NormalCalls)
	res.PrecisionWithCFA = ratioOrZero(res.Detected, res.Detected+res.ConsecutiveFalseAlarms)
	res.PrecisionWithSyscalls = ratioOrZero(res.Detected, res.Detected+res.FalsePositives)
	if p, r := res.PrecisionWithCFA, res.DetectionRate; p+r > 0 {
		res.F1CFA = 2 * p * r / (p + r)
	}
	if len(delays) == 0 {
		return
	}
	mean := 0.0
	for _, d := range delays {
		mean += d
	}
	mean /= float64(len(delays))
	slices.Sort(delays)
	median := delays[len(delays)/2]
	if len(delays)%2 == 0 {
		median = (delays[len(delays)/2-1] + median) / 2
	}
	res.MeanLatencyS, res.MedianLatencyS = &mean, &median
}

// ratioOrZero returns num/den, 0 when den is 0 as LID-DS does.
func ratioOrZero(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}
