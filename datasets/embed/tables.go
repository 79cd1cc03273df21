package embed

import "math"

// Sigmoid and log lookup tables with fastText's sizes and ranges.
const (
	sigmoidTableSize = 512
	maxSigmoid       = 8
	logTableSize     = 512
)

var (
	sigmoidTable [sigmoidTableSize + 1]float32
	logTable     [logTableSize + 1]float32
)

func init() {
	for i := range sigmoidTable {
		x := float64(i*2*maxSigmoid)/sigmoidTableSize - maxSigmoid
		sigmoidTable[i] = float32(1 / (1 + math.Exp(-x)))
	}
	for i := range logTable {
		x := (float64(i) + 1e-5) / logTableSize
		logTable[i] = float32(math.Log(x))
	}
}

// sigmoid is the table approximation of 1/(1+e^-x): 0 below -8, 1 above 8.
func sigmoid(x float32) float32 {
	if x < -maxSigmoid {
		return 0
	}
	if x > maxSigmoid {
		return 1
	}
	return sigmoidTable[int((x+maxSigmoid)*(sigmoidTableSize/maxSigmoid/2))]
}

// logt is the table approximation of ln(x) for x in [0, 1]; 0 above 1.
func logt(x float32) float32 {
	if x > 1 {
		return 0
	}
	return logTable[int(x*logTableSize)]
}
