// Command tabular times vigil's tabular learners on a CSV that
// bench/tabular_sklearn.py writes (a label column, then the features as
// integer hundredths): models/svm's Train and Decision, or models/forest's
// TrainForest and ProbaAll, with the settings of their scikit-learn
// counterparts, so that bench/tabular.sh can compare the two in one run.
//
//	tabular -model svm -data cert.csv -cw balanced -reps 5 -out svm.txt
//	tabular -model forest -data cert.csv -cw none -threads 2 -reps 5 -out rf.txt
//
// It prints one "vigil:" line with the median of -reps timed runs (after
// one untimed warm-up) and writes the model's outputs to -out for the
// Python side to compare: "key value..." lines, then "values" and one value
// per training row (decision values, or P(true)).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/models/forest"
	"github.com/vigil-ml/vigil/models/svm"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tabular:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tabular", flag.ContinueOnError)
	model := fs.String("model", "svm", "svm or forest")
	data := fs.String("data", "", "CSV written by tabular_sklearn.py gen")
	cw := fs.String("cw", "none", "class weights: none or balanced")
	reps := fs.Int("reps", 5, "timed repetitions (after one warm-up)")
	threads := fs.Int("threads", 0, "forest workers (0: GOMAXPROCS)")
	out := fs.String("out", "", "write the model's outputs here")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the runs (warm-ups included) here")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *data == "" || *reps < 1 || (*cw != "none" && *cw != "balanced") {
		return errors.New("need -data, -reps ≥ 1 and -cw none|balanced")
	}
	x, y, err := readCSV(*data)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(filepath.Base(*data), filepath.Ext(*data))
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var res *strings.Builder
	switch *model {
	case "svm":
		res, err = benchSVM(stdout, name, x, y, *cw, *reps)
	case "forest":
		t := *threads
		if t <= 0 {
			t = runtime.GOMAXPROCS(0)
		}
		res, err = benchForest(stdout, name, x, y, *cw, *reps, t)
	default:
		return fmt.Errorf("unknown -model %q", *model)
	}
	if err != nil || *out == "" {
		return err
	}
	return os.WriteFile(*out, []byte(res.String()), 0o644)
}

// readCSV reads the label column and the features (hundredths; each value
// is float64(v)/100, one correctly rounded division, as numpy computes it).
func readCSV(path string) ([][]float64, []bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var x [][]float64
	var y []bool
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue // header
		}
		fields := strings.Split(sc.Text(), ",")
		row := make([]float64, len(fields)-1)
		for j, s := range fields {
			v, err := strconv.Atoi(s)
			if err != nil {
				return nil, nil, fmt.Errorf("%s:%d: %w", path, line+1, err)
			}
			if j == 0 {
				y = append(y, v == 1)
			} else {
				row[j-1] = float64(v) / 100
			}
		}
		x = append(x, row)
	}
	return x, y, sc.Err()
}

// timed runs fn once untimed, then reps times, and returns the median.
func timed(reps int, fn func()) time.Duration {
	fn()
	ts := make([]time.Duration, reps)
	for i := range ts {
		t0 := time.Now()
		fn()
		ts[i] = time.Since(t0)
	}
	slices.Sort(ts)
	if reps%2 == 1 {
		return ts[reps/2]
	}
	return (ts[reps/2-1] + ts[reps/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func positives(y []bool) int {
	n := 0
	for _, v := range y {
		if v {
			n++
		}
	}
	return n
}

// benchSVM: SVC(kernel="rbf", gamma="scale", C=1, tol=1e-3, shrinking=True,
// cache_size=200[, class_weight="balanced"]).
func benchSVM(stdout io.Writer, name string, x [][]float64, y []bool, cw string, reps int) (*strings.Builder, error) {
	train := func() (*svm.Model, error) {
		cfg := svm.Config{C: 1, Tol: 1e-3, Shrinking: true, CacheMB: 200}
		if cw == "balanced" {
			var err error
			if cfg.CPos, cfg.CNeg, err = svm.ClassWeightsIR(y, 1); err != nil {
				return nil, err
			}
		}
		return svm.Train(x, y, cfg)
	}
	var m *svm.Model
	var err error
	tTrain := timed(reps, func() {
		if m, err = train(); err != nil {
			panic(err)
		}
	})
	dec := make([]float64, len(x))
	tDec := timed(reps, func() {
		for i, row := range x {
			dec[i] = m.Decision(row)
		}
	})
	cPos, cNeg := m.Penalties()
	fmt.Fprintf(stdout, "vigil:   svm data=%s n=%d d=%d pos=%d cw=%s C+=%.6g C-=%.6g gamma=%.17g train_ms=%.2f decision_ms=%.2f n_sv=%d iter=%d reps=%d GOMAXPROCS=%d\n",
		name, len(x), len(x[0]), positives(y), cw, cPos, cNeg, m.Kernel().Gamma, ms(tTrain), ms(tDec),
		len(m.SupportVectors()), m.Iterations(), reps, runtime.GOMAXPROCS(0))
	var b strings.Builder
	fmt.Fprintf(&b, "sv")
	for _, i := range m.SupportVectors() {
		fmt.Fprintf(&b, " %d", i)
	}
	fmt.Fprintf(&b, "\niter %d\ngamma %.17g\nbias %.17g\nvalues\n", m.Iterations(), m.Kernel().Gamma, m.Bias())
	for _, v := range dec {
		fmt.Fprintf(&b, "%.17g\n", v)
	}
	return &b, nil
}

// benchForest: RandomForestClassifier(n_estimators=100, max_features="sqrt",
// bootstrap=True, random_state=0, n_jobs=threads[, class_weight="balanced"]).
// P(true) over the rows is ProbaAll with threads workers: tree by tree over
// the rows, the rows split across threads goroutines (scikit-learn's
// predict_proba also walks tree by tree, the trees split across n_jobs
// threads). ProbaAll's values are Proba's, bit for bit.
func benchForest(stdout io.Writer, name string, x [][]float64, y []bool, cw string, reps, threads int) (*strings.Builder, error) {
	cfg := forest.ForestConfig{NEstimators: 100, Seed: 0, Workers: threads}
	if cw == "balanced" {
		cfg.ClassWeight = forest.Balanced
	}
	var f *forest.Forest
	var err error
	tTrain := timed(reps, func() {
		if f, err = forest.TrainForest(x, y, cfg); err != nil {
			panic(err)
		}
	})
	var p []float64
	tProba := timed(reps, func() { p = f.ProbaAll(x, threads) })
	fmt.Fprintf(stdout, "vigil:   forest data=%s n=%d d=%d pos=%d cw=%s threads=%d train_ms=%.2f proba_ms=%.2f trees=%d reps=%d GOMAXPROCS=%d\n",
		name, len(x), len(x[0]), positives(y), cw, threads, ms(tTrain), ms(tProba), f.NumTrees(), reps, runtime.GOMAXPROCS(0))
	var b strings.Builder
	fmt.Fprintf(&b, "trees %d\nimportances", f.NumTrees())
	for _, v := range f.Importances() {
		fmt.Fprintf(&b, " %.17g", v)
	}
	fmt.Fprintf(&b, "\nvalues\n")
	for _, v := range p {
		fmt.Fprintf(&b, "%.17g\n", v)
	}
	return &b, nil
}
