package forest_test

import (
	"fmt"

	"github.com/vigil-ml/vigil/models/forest"
)

// A balanced random forest on a few hosts: CPU load and hash rate separate
// the miners (true) from ordinary hosts; the third feature is noise.
func Example() {
	x := [][]float64{
		{95, 4.1, 3}, {88, 3.7, 9}, {91, 4.4, 1}, // miners
		{20, 0.1, 4}, {35, 0.3, 8}, {12, 0.2, 2}, {50, 0.4, 6}, {41, 0.1, 3},
		{27, 0.3, 7}, {60, 0.2, 5}, {33, 0.5, 1}, {18, 0.1, 9},
	}
	y := []bool{true, true, true, false, false, false, false, false, false, false, false, false}

	f, err := forest.TrainForest(x, y, forest.ForestConfig{
		NEstimators: 50,
		ClassWeight: forest.Balanced,
		Seed:        1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, host := range [][]float64{{90, 4.0, 5}, {30, 0.2, 5}} {
		fmt.Printf("%v: miner %v (P = %.2f)\n", host, f.Predict(host), f.Proba(host))
	}
	imp := f.Importances()
	fmt.Printf("noise importance below the signals: %v\n", imp[2] < imp[0] && imp[2] < imp[1])
	// Output:
	// [90 4 5]: miner true (P = 0.82)
	// [30 0.2 5]: miner false (P = 0.00)
	// noise importance below the signals: true
}

// An isolation forest flags the one login pattern unlike the others.
func ExampleTrainIsolation() {
	var x [][]float64
	for i := range 100 {
		hour := 9 + float64(i*7%90)/10 // 9:00 to 17:54
		files := float64(20 + i*13%31) // 20 to 50 files
		x = append(x, []float64{hour, files})
	}
	m, err := forest.TrainIsolation(x, forest.IsolationConfig{Seed: 42})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range [][]float64{{13, 35}, {3, 250}} {
		fmt.Printf("%v: anomalous %v\n", q, m.Predict(q))
	}
	fmt.Printf("score of the outlier above 0.6: %v\n", m.Score([]float64{3, 250}) > 0.6)
	// Output:
	// [13 35]: anomalous false
	// [3 250]: anomalous true
	// score of the outlier above 0.6: true
}
