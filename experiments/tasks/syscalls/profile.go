package syscalls

import "github.com/vigil-ml/vigil/experiments/tasks"

// Profile describes the training traces: every call ("call", by name; the
// unknown call is "") and every trace's length in calls ("trace_length").
func (d *data) Profile() tasks.Profile {
	var calls []string
	var lengths []float64
	for _, t := range d.train {
		lengths = append(lengths, float64(t.Calls))
		for _, s := range t.Streams {
			for _, id := range s.IDs {
				calls = append(calls, d.vocab.Key(id))
			}
		}
	}
	return tasks.Profile{Categorical: map[string][]string{"call": calls}, Numeric: map[string][]float64{"trace_length": lengths}}
}
