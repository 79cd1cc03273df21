package drift_test

import (
	"fmt"

	"github.com/vigil-ml/vigil/eval/drift"
)

func ExamplePSI() {
	// Yesterday's anomaly scores against today's, shifted up by 10.
	// Quintile edges 19.8, 39.6, ... of 0..99; the shift moves 10 values from
	// the first bin to the last: PSI = (.1-.2)·ln(.1/.2) + (.3-.2)·ln(.3/.2)
	// = 0.1·ln 3 ≈ 0.1099, at or above the 0.1 warn threshold.
	reference := make([]float64, 100)
	current := make([]float64, 100)
	for i := range reference {
		reference[i] = float64(i)
		current[i] = float64(i + 10)
	}
	r, err := drift.PSI(reference, current, drift.PSIConfig{Bins: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("PSI %.4f (%s) over %d bins\n", r.PSI, r.Level, len(r.Bins))
	for _, b := range r.Bins {
		fmt.Printf("(%6.2f, %6.2f]  ref %.2f  cur %.2f\n", b.Lower, b.Upper, b.ReferenceProportion, b.CurrentProportion)
	}
	// Output:
	// PSI 0.1099 (warn) over 5 bins
	// (  -Inf,  19.80]  ref 0.20  cur 0.10
	// ( 19.80,  39.60]  ref 0.20  cur 0.20
	// ( 39.60,  59.40]  ref 0.20  cur 0.20
	// ( 59.40,  79.20]  ref 0.20  cur 0.20
	// ( 79.20,   +Inf]  ref 0.20  cur 0.30
}
