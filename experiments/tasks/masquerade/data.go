package masquerade

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/vigil-ml/vigil/datasets"
)

// seaFormat is the file layout the config describes.
func seaFormat(d DataConfig) datasets.SEAFormat {
	return datasets.SEAFormat{Users: d.NumUsers, TrainLen: d.TrainLen, Blocks: d.Blocks, BlockLen: d.BlockLen}
}

// loadData reads or generates the SEA-format data and keeps the selected users.
func loadData(d DataConfig, seed uint64) (*datasets.SEA, error) {
	var sea *datasets.SEA
	switch d.Kind {
	case "sea":
		s, err := datasets.ReadSEA(d.Path, seaFormat(d))
		if err != nil {
			return nil, err
		}
		sea = s
	case "synthetic":
		sc := datasets.SyntheticConfig{
			Format:          seaFormat(d),
			VocabSize:       d.Synthetic.Vocabulary,
			MasqueradeUsers: d.Synthetic.MasqueradeUsers,
			StartProb:       d.Synthetic.MasqueradeStart,
		}
		s := d.Synthetic.Seed
		if s == 0 {
			s = seed
		}
		sea = datasets.SyntheticSEA(sc, rand.New(rand.NewPCG(s, 0x5ea)))
	default:
		return nil, fmt.Errorf("data.kind %q", d.Kind)
	}
	if len(d.Users) == 0 {
		return sea, nil
	}
	var kept []datasets.SEAUser
	for _, name := range d.Users {
		i := slices.IndexFunc(sea.Users, func(u datasets.SEAUser) bool { return u.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("data.users: no user %q in the data", name)
		}
		kept = append(kept, sea.Users[i])
	}
	return &datasets.SEA{Users: kept}, nil
}
