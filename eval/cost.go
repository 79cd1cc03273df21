package eval

// CostFalseAlarmWeight is the weight of a false alarm relative to a miss in
// the Maxion-Townsend cost (Maxion & Townsend 2002).
const CostFalseAlarmWeight = 6

// MaxionTownsendCost returns the Maxion-Townsend cost in percent units,
// 100*missRate + 6*100*falseAlarmRate, for rates in [0, 1]. For example 38.5%
// misses at 1.3% false alarms cost 38.5 + 7.8 = 46.3. Lower is better.
func MaxionTownsendCost(missRate, falseAlarmRate float64) float64 {
	return 100*missRate + CostFalseAlarmWeight*100*falseAlarmRate
}
