package embed

import "time"

// Stats describes a training run.
type Stats struct {
	Tokens   int64         // tokens processed, subsampled ones included (about Epochs times the corpus)
	Duration time.Duration // wall time of the training loop, without vocabulary and matrix set-up
	Threads  int           // training goroutines
	Loss     float64       // mean loss per example over the run
}

// WordsPerSecPerThread is fastText's speed figure: Tokens / seconds / Threads.
func (s Stats) WordsPerSecPerThread() float64 {
	sec := s.Duration.Seconds()
	if sec <= 0 || s.Threads <= 0 {
		return 0
	}
	return float64(s.Tokens) / sec / float64(s.Threads)
}
