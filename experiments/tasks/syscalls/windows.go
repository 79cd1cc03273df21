package syscalls

import "github.com/vigil-ml/vigil/models"

// A window is Length+1 call ids: position t of the model's output predicts
// id t+1 from ids 0..t. Ids past a stream's end are models.Pad.

// window is where a scoring window sits: trace, stream and first call,
// and the first position whose score is kept (earlier positions are
// scored by the window before, with more context).
type window struct{ Trace, Stream, Start, Keep int }

// trainStarts are the starts of the training windows of a stream of n
// calls: every stride calls while a full window fits, and one window
// ending at the stream's end; a stream shorter than a window gives one
// padded window at 0.
func trainStarts(n, length, stride int) []int {
	if n < 2 {
		return nil
	}
	if n <= length+1 {
		return []int{0}
	}
	var out []int
	last := 0
	for s := 0; s+length+1 <= n; s += stride {
		out = append(out, s)
		last = s
	}
	if last+length+1 < n {
		out = append(out, n-length-1)
	}
	return out
}

// scoreStarts are the starts of the scoring windows of a stream of n
// calls, every length-context calls: each window keeps the scores of its
// positions from context on (the first window keeps all), so each call
// but the stream's first is scored once, after at least context calls of
// its stream where the stream has them.
func scoreStarts(n, length, context int) []int {
	var out []int
	step := length - context
	for s := 0; s+1 < n; s += step {
		out = append(out, s)
		if s+length+1 >= n {
			break
		}
	}
	return out
}

// appendWindow appends the window of ids at start to dst.
func appendWindow(dst []int32, ids []int32, start, length int) []int32 {
	for k := 0; k <= length; k++ {
		if start+k < len(ids) {
			dst = append(dst, ids[start+k])
		} else {
			dst = append(dst, models.Pad)
		}
	}
	return dst
}

// trainWindows are the training windows of every stream of ts.
func trainWindows(ts []trace, in models.Input, length, stride int) models.Examples {
	ex := models.Examples{Input: in}
	for _, t := range ts {
		for _, s := range t.Streams {
			for _, start := range trainStarts(len(s.IDs), length, stride) {
				ex.Int = appendWindow(ex.Int, s.IDs, start, length)
				ex.N++
			}
		}
	}
	return ex
}

// scorePositions are where the scoring windows of every stream of ts sit.
func scorePositions(ts []trace, length, context int) []window {
	var where []window
	for i, t := range ts {
		for j, s := range t.Streams {
			for k, start := range scoreStarts(len(s.IDs), length, context) {
				keep := context
				if k == 0 {
					keep = 0
				}
				where = append(where, window{i, j, start, keep})
			}
		}
	}
	return where
}

// scoreWindows are the scoring windows of every stream of ts and where each sits.
func scoreWindows(ts []trace, in models.Input, length, context int) (models.Examples, []window) {
	where := scorePositions(ts, length, context)
	ex := models.Examples{Input: in, N: len(where)}
	for _, w := range where {
		ex.Int = appendWindow(ex.Int, ts[w.Trace].Streams[w.Stream].IDs, w.Start, length)
	}
	return ex, where
}

// callScores maps a per-position score of the windows back to the calls
// of each trace, in trace order; a call no window predicts (the first of
// each stream) gets NaN.
func callScores(ts []trace, where []window, values []float64, length int, nan float64) [][]float64 {
	out := make([][]float64, len(ts))
	for i, t := range ts {
		out[i] = make([]float64, t.Calls)
		for k := range out[i] {
			out[i][k] = nan
		}
	}
	for w, at := range where {
		s := ts[at.Trace].Streams[at.Stream]
		for k := at.Keep; k < length; k++ {
			c := at.Start + k + 1
			if c >= len(s.IDs) {
				break
			}
			out[at.Trace][s.Pos[c]] = values[w*length+k]
		}
	}
	return out
}
