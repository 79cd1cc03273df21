package eval

// Anchor is a published SEA result to print beside measured ones. Rates are
// in [0, 1]; Cost is the Maxion-Townsend cost in percent units.
type Anchor struct {
	Name           string  `json:"name"`
	Source         string  `json:"source"`
	Updating       bool    `json:"updating"`
	HitRate        float64 `json:"hit_rate"`
	FalseAlarmRate float64 `json:"false_alarm_rate"`
	Cost           float64 `json:"cost"`
}

// PublishedAnchors returns, in a fresh slice, the reference points on the SEA
// data: naive Bayes without updating (Maxion & Townsend 2002), 61.5% hits at
// 1.3% false alarms, cost 46.3; and the best published detector with
// updating, DDSGA (Kholidy, Baiardi & Hariri), 88.4% hits at 1.7% false
// alarms.
func PublishedAnchors() []Anchor {
	return []Anchor{
		newAnchor("Naive Bayes, no updating", "Maxion & Townsend 2002", false, 0.615, 0.013),
		newAnchor("DDSGA, with updating", "Kholidy, Baiardi & Hariri (DDSGA)", true, 0.884, 0.017),
	}
}

func newAnchor(name, source string, updating bool, hit, fa float64) Anchor {
	return Anchor{
		Name:           name,
		Source:         source,
		Updating:       updating,
		HitRate:        hit,
		FalseAlarmRate: fa,
		Cost:           MaxionTownsendCost(1-hit, fa),
	}
}
