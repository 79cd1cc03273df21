package datasets

import (
	"strings"
	"testing"
)

func TestSplitTrainVal(t *testing.T) {
	tests := []struct {
		n, nTrain  int
		train, val Range
		err        string
	}{
		{4901, 4000, Range{0, 4000}, Range{4000, 4901}, ""},
		{10, 10, Range{0, 10}, Range{10, 10}, ""},
		{10, 0, Range{0, 0}, Range{0, 10}, ""},
		{10, 11, Range{}, Range{}, "cannot take 11 training windows out of 10"},
		{10, -1, Range{}, Range{}, "cannot take -1"},
	}
	for _, tc := range tests {
		train, val, err := SplitTrainVal(tc.n, tc.nTrain)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("SplitTrainVal(%d, %d): error %v, want %q", tc.n, tc.nTrain, err, tc.err)
			}
			continue
		}
		if err != nil || train != tc.train || val != tc.val {
			t.Errorf("SplitTrainVal(%d, %d) = %v, %v, %v; want %v, %v", tc.n, tc.nTrain, train, val, err, tc.train, tc.val)
		}
		if train.Len()+val.Len() != tc.n {
			t.Errorf("lengths %d + %d != %d", train.Len(), val.Len(), tc.n)
		}
	}
}
