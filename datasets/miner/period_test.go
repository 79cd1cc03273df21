package miner

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Periods of one generator state observe the same programs (families,
// names, binaries, labels) with other processes; period 0 is unchanged.
func TestPeriodsObserveTheSamePrograms(t *testing.T) {
	gen := func(period uint64) *Dataset {
		d, err := Generate(Config{Programs: 30, MinerFraction: 0.2, Duration: 30 * time.Minute, Period: period}, rand.New(rand.NewPCG(5, 6)))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b := gen(1), gen(2)
	differ := false
	for i := range a.Programs {
		pa, pb := a.Programs[i], b.Programs[i]
		if pa.ID != pb.ID || pa.Family != pb.Family || pa.Miner != pb.Miner || pa.Name != pb.Name || pa.Binary != pb.Binary {
			t.Fatalf("program %d: %+v in period 1, %+v in period 2", i, pa, pb)
		}
		differ = differ || pa.Runs != pb.Runs
	}
	if !differ && len(a.Processes) == len(b.Processes) && a.Processes[0].Start == b.Processes[0].Start {
		t.Error("two periods drew the same processes")
	}
	// Without a period the processes come from the programs' generator.
	z1, z2 := gen(0), gen(0)
	if len(z1.Processes) != len(z2.Processes) || z1.Processes[3].Start != z2.Processes[3].Start || z1.Processes[3].PID != z2.Processes[3].PID {
		t.Error("period 0 is not deterministic")
	}
	if z1.Programs[1].Name == a.Programs[1].Name && z1.Programs[2].Name == a.Programs[2].Name && z1.Programs[3].Name == a.Programs[3].Name &&
		z1.Programs[1].Runs == a.Programs[1].Runs && len(z1.Processes) == len(a.Processes) && z1.Processes[0].Start == a.Processes[0].Start {
		t.Error("period 1 drew exactly what period 0 draws")
	}
}
