package syscalls_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/vigil-ml/vigil/datasets/syscalls"
)

// Generate traces, build the vocabulary on the training traces, and cut
// each training trace's thread streams into next-call windows.
func Example() {
	cfg := syscalls.SyntheticConfig{Train: 20, Validation: -1, TestNormal: 5, TestAttack: 5, MinCalls: 100, MaxCalls: 200}
	traces := syscalls.Synthetic(cfg, rand.New(rand.NewPCG(1, 2)))

	vocab := syscalls.NewVocab()
	var seqs [][]int32
	for _, t := range traces {
		if t.Split == syscalls.SplitTrain {
			vocab.AddTrace(t)
		}
	}
	for _, t := range traces {
		if t.Split != syscalls.SplitTrain {
			continue
		}
		for _, stream := range syscalls.ThreadStreams(t.Calls) {
			seqs = append(seqs, vocab.EncodeCalls(stream))
		}
	}
	w, err := syscalls.MakeNextCallWindows(seqs, 8, 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	attacks := 0
	for _, t := range traces {
		if t.Label == syscalls.Attack {
			attacks++
		}
	}
	fmt.Println("traces:", len(traces), "attacks:", attacks)
	fmt.Println("first window has", len(w.Input(0)), "ids; unknown id:", syscalls.Unknown)
	fmt.Println("families:", syscalls.SyntheticFamilies())
	// Output:
	// traces: 30 attacks: 5
	// first window has 8 ids; unknown id: 0
	// families: [Adduser Download_Exec Privilege_Escalation Reverse_Shell Webshell]
}
