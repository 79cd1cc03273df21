package sweep_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/experiments/sweep"
)

func Example() {
	space, err := sweep.Decode(map[string]any{
		"train.lr":       map[string]any{"float": []any{1e-4, 1e-2}, "log": true},
		"windows.stride": map[string]any{"choice": []any{10, 25, 50}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sampler := sweep.NewRandom(space)
	rng := rand.New(rand.NewPCG(1, 2))
	var trials []sweep.Trial
	for i := range 3 {
		pt, err := sampler.Sample(trials, rng)
		if err != nil {
			fmt.Println(err)
			return
		}
		trials = append(trials, sweep.Trial{Number: i, Params: pt, State: sweep.Running})
		fmt.Println(pt.Sets())
	}
	// Output:
	// [train.lr=0.0022537789552745983 windows.stride=25]
	// [train.lr=0.0010401471785170331 windows.stride=50]
	// [train.lr=0.003940984245918601 windows.stride=10]
}
