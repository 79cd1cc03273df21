package ipinsights

import "github.com/vigil-ml/vigil/models"

// pairs appends (key, ip) pairs to ex (a new one when nil).
func pairs(keys, ips []uint32, ex *models.Examples) *models.Examples {
	if ex == nil {
		ex = &models.Examples{Input: models.Input{IntShape: []int{2}}}
	}
	for i := range keys {
		ex.Int = append(ex.Int, int32(keys[i]), int32(ips[i]))
		ex.N++
	}
	return ex
}
