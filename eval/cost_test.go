package eval

import "testing"

func TestMaxionTownsendCost(t *testing.T) {
	cases := []struct{ miss, fa, want float64 }{
		{0.385, 0.013, 46.3}, // 38.5 + 6*1.3
		{0, 0, 0},
		{1, 0, 100},
		{0, 1, 600},
		{0.116, 0.017, 21.8}, // 11.6 + 6*1.7
	}
	for _, c := range cases {
		if got := MaxionTownsendCost(c.miss, c.fa); !near(got, c.want) {
			t.Errorf("cost(%v, %v) = %v, want %v", c.miss, c.fa, got, c.want)
		}
	}
}

func TestPublishedAnchors(t *testing.T) {
	a := PublishedAnchors()
	if len(a) != 2 {
		t.Fatalf("got %d anchors", len(a))
	}
	if a[0].HitRate != 0.615 || a[0].FalseAlarmRate != 0.013 || !near(a[0].Cost, 46.3) || a[0].Updating {
		t.Errorf("naive Bayes anchor = %+v", a[0])
	}
	if a[1].HitRate != 0.884 || a[1].FalseAlarmRate != 0.017 || !near(a[1].Cost, 21.8) || !a[1].Updating {
		t.Errorf("DDSGA anchor = %+v", a[1])
	}
	a[0].HitRate = 0
	if PublishedAnchors()[0].HitRate != 0.615 {
		t.Error("anchors share storage between calls")
	}
}
