package miner

import (
	"slices"
	"testing"
	"time"
)

// labelledRows generates a dataset with a tenth of the programs miners and
// returns its 10-minute window rows with each row's family.
func labelledRows(t *testing.T) ([]FeatureRow, []Family) {
	t.Helper()
	d := mustGenerate(t, Config{Programs: 80, MinerFraction: 0.1, Duration: time.Hour, SampleInterval: 30 * time.Second}, seeded(11, 12))
	fam := map[int]Family{}
	for _, p := range d.Processes {
		fam[p.PID] = p.Family
	}
	var rows []FeatureRow
	w, err := NewWindower(WindowConfig{}, func(r FeatureRow) error { rows = append(rows, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	for e := range d.Events() {
		if err := w.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fams := make([]Family, len(rows))
	for i, r := range rows {
		fams[i] = fam[r.PID]
		if r.Miner != fams[i].IsMiner() {
			t.Fatalf("row of pid %d labelled %v, family %s", r.PID, r.Miner, fams[i])
		}
	}
	return rows, fams
}

func TestMinersDifferButCPUAloneIsNotEnough(t *testing.T) {
	rows, fams := labelledRows(t)
	mean := func(f Feature, keep func(i int) bool) (float64, int) {
		var s float64
		n := 0
		for i, r := range rows {
			if keep(i) {
				s += r.Values[f]
				n++
			}
		}
		return s / float64(max(n, 1)), n
	}
	miner := func(i int) bool { return rows[i].Miner }
	legit := func(i int) bool { return !rows[i].Miner }
	hard := func(i int) bool { return fams[i].IsHardNegative() }
	easy := func(i int) bool { return !rows[i].Miner && !fams[i].IsHardNegative() }

	cpuM, nM := mean(FeatCPUMean, miner)
	cpuL, nL := mean(FeatCPUMean, legit)
	cpuH, nH := mean(FeatCPUMean, hard)
	cpuE, _ := mean(FeatCPUMean, easy)
	portM, _ := mean(FeatMiningPortShare, miner)
	portL, _ := mean(FeatMiningPortShare, legit)
	stdM, _ := mean(FeatCPUStd, miner)
	stdH, _ := mean(FeatCPUStd, hard)
	t.Logf("windows: %d miner, %d legitimate (%d hard negatives)", nM, nL, nH)
	t.Logf("cpu_mean: miners %.1f, legitimate %.1f (hard negatives %.1f, others %.1f); cpu_std: miners %.1f, hard negatives %.1f",
		cpuM, cpuL, cpuH, cpuE, stdM, stdH)
	t.Logf("net_mining_port_share: miners %.3f, legitimate %.3f", portM, portL)
	if nM < 50 || nH < 50 {
		t.Fatalf("too few windows: %d miner, %d hard negative", nM, nH)
	}
	if cpuM <= cpuL || cpuM < 2*cpuE {
		t.Errorf("miners' mean CPU %.1f is not above the legitimate %.1f and twice the non-hard-negative %.1f", cpuM, cpuL, cpuE)
	}
	if portM < 0.3 || portL != 0 {
		t.Errorf("mining port share: miners %.3f, legitimate %.3f", portM, portL)
	}

	// A CPU threshold that catches 80% of the miner windows flags most
	// hard-negative windows too, and most flagged windows are not miners.
	var minerCPU []float64
	for i, r := range rows {
		if miner(i) {
			minerCPU = append(minerCPU, r.Values[FeatCPUMean])
		}
	}
	slices.Sort(minerCPU)
	threshold := minerCPU[len(minerCPU)/5]
	var tp, fp, fpHard int
	for i, r := range rows {
		if r.Values[FeatCPUMean] < threshold {
			continue
		}
		switch {
		case miner(i):
			tp++
		case hard(i):
			fp++
			fpHard++
		default:
			fp++
		}
	}
	t.Logf("cpu_mean >= %.1f: %d true positives, %d false positives (%d on hard negatives, %.0f%% of them)",
		threshold, tp, fp, fpHard, 100*float64(fpHard)/float64(nH))
	if float64(fpHard) < 0.5*float64(nH) {
		t.Errorf("the CPU threshold flags only %d of %d hard-negative windows", fpHard, nH)
	}
	if precision := float64(tp) / float64(tp+fp); precision > 0.6 {
		t.Errorf("the CPU threshold has precision %.2f; CPU alone should not be enough", precision)
	}
}
