package cert

import (
	"strings"
	"time"
)

// DateLayout is the date format of every CERT file, "MM/DD/YYYY HH:MM:SS"
// as a time layout. Readers also accept months, days and hours without a
// leading zero.
const DateLayout = "01/02/2006 15:04:05"

// readLayout parses DateLayout with or without leading zeros.
const readLayout = "1/2/2006 15:04:05"

// parseDate parses a CERT date as a wall-clock time in time.UTC.
func parseDate(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(readLayout, strings.TrimSpace(s), time.UTC)
	return t, err == nil
}

// answerLayouts are the layouts tried for the start and end columns of
// insiders.csv, whose format the documentation does not fix.
var answerLayouts = []string{readLayout, "1/2/2006 15:04", "1/2/2006", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}

func parseAnswerDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range answerLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FormatDate writes t's wall clock in DateLayout.
func FormatDate(t time.Time) string { return t.Format(DateLayout) }
