package tensorboard_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/vigil-ml/vigil/eval/tensorboard"
)

func ExampleWriter() {
	dir, err := os.MkdirTemp("", "tensorboard-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	start := time.Unix(1700000000, 0)
	w, err := tensorboard.Create(filepath.Join(dir, "run1"), start, "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer w.Close()
	for step := int64(1); step <= 3; step++ {
		wall := start.Add(time.Duration(step) * time.Second)
		if err := w.Scalar("train/loss", step, 1/float64(step), wall); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}

	events, err := tensorboard.ReadFile(w.Path())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filepath.Base(w.Path()))
	fmt.Println(events[0].FileVersion)
	for _, e := range events[1:] {
		v := e.Values[0]
		fmt.Printf("step %d at %.0f: %s = %g\n", e.Step, e.WallTime, v.Tag, v.Simple)
	}
	// Output:
	// events.out.tfevents.1700000000.example
	// brain.Event:2
	// step 1 at 1700000001: train/loss = 1
	// step 2 at 1700000002: train/loss = 0.5
	// step 3 at 1700000003: train/loss = 0.33333334
}
