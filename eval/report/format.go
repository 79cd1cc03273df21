package report

import (
	"fmt"
	"math"
)

// Display precision of the page: AUC to 4 decimals, hit rates and costs to
// 1 decimal (as published), false-alarm rates to 2 decimals; rates are shown
// in percent. NaN shows as an em dash.
func formatAUC(x float64) string    { return orDash(x, "%.4f", 1) }
func formatHit(x float64) string    { return orDash(x, "%.1f%%", 100) }
func formatFA(x float64) string     { return orDash(x, "%.2f%%", 100) }
func formatTarget(x float64) string { return orDash(x, "%.1f%%", 100) }
func formatCost(x float64) string   { return orDash(x, "%.1f", 1) }
func formatCount(n int) string      { return fmt.Sprint(n) }
func orDash(x float64, format string, scale float64) string {
	if math.IsNaN(x) {
		return "\u2014"
	}
	return fmt.Sprintf(format, x*scale)
}
