package datasets

import (
	"errors"
	"fmt"
)

// SEASummaryFile is the name of the label file inside a SEA directory.
const SEASummaryFile = "masquerade_summary.txt"

// SEAUser is one user's data: the first TrainLen commands are clean training
// data, followed by test blocks.
type SEAUser struct {
	Name   string     // file name, "User7"
	Train  []string   // clean training commands (5,000 in SEA)
	Blocks [][]string // test blocks (100 blocks of 100 commands in SEA)
	Labels []bool     // per block: true = masquerade
}

// SEA is a whole data set: one entry per user, in file order User1, User2, ...
type SEA struct {
	Users []SEAUser
}

// SEAFormat gives the sizes of the on-disk layout, in commands and blocks.
type SEAFormat struct {
	Users    int // number of user files
	TrainLen int // clean commands at the start of each file
	Blocks   int // test blocks per user
	BlockLen int // commands per test block
}

// DefaultSEAFormat is the layout of the published data set:
// 50 users, 5,000 training commands, 100 test blocks of 100 commands.
func DefaultSEAFormat() SEAFormat {
	return SEAFormat{Users: 50, TrainLen: 5000, Blocks: 100, BlockLen: 100}
}

// Lines is the number of commands in each user file.
func (f SEAFormat) Lines() int { return f.TrainLen + f.Blocks*f.BlockLen }

// Validate reports an error when a size is not positive.
func (f SEAFormat) Validate() error {
	if f.Users <= 0 || f.TrainLen <= 0 || f.Blocks <= 0 || f.BlockLen <= 0 {
		return fmt.Errorf("datasets: SEA format %+v: all sizes must be positive", f)
	}
	return nil
}

// UserName is the file name of the i-th user (0-based): "User1" for i = 0.
func UserName(i int) string { return fmt.Sprintf("User%d", i+1) }

// Format returns the layout of s, checked for consistency: every user has
// the same training length, block count and block length, one label per
// block, and is named UserName(i).
func (s *SEA) Format() (SEAFormat, error) {
	if s == nil || len(s.Users) == 0 {
		return SEAFormat{}, errors.New("datasets: SEA has no users")
	}
	u0 := s.Users[0]
	f := SEAFormat{Users: len(s.Users), TrainLen: len(u0.Train), Blocks: len(u0.Blocks)}
	if f.Blocks > 0 {
		f.BlockLen = len(u0.Blocks[0])
	}
	if err := f.Validate(); err != nil {
		return SEAFormat{}, err
	}
	for i, u := range s.Users {
		if u.Name != UserName(i) {
			return SEAFormat{}, fmt.Errorf("datasets: user %d is named %q, want %q", i, u.Name, UserName(i))
		}
		if len(u.Train) != f.TrainLen || len(u.Blocks) != f.Blocks || len(u.Labels) != f.Blocks {
			return SEAFormat{}, fmt.Errorf("datasets: %s: %d training commands, %d blocks, %d labels; want %d, %d, %d",
				u.Name, len(u.Train), len(u.Blocks), len(u.Labels), f.TrainLen, f.Blocks, f.Blocks)
		}
		for b, blk := range u.Blocks {
			if len(blk) != f.BlockLen {
				return SEAFormat{}, fmt.Errorf("datasets: %s: block %d has %d commands, want %d", u.Name, b, len(blk), f.BlockLen)
			}
		}
	}
	return f, nil
}

// Commands returns the user's full history: training commands followed by
// every test block, in order. The result is a new slice.
func (u *SEAUser) Commands() []string {
	n := len(u.Train)
	for _, b := range u.Blocks {
		n += len(b)
	}
	out := make([]string, 0, n)
	out = append(out, u.Train...)
	for _, b := range u.Blocks {
		out = append(out, b...)
	}
	return out
}

// Corpus returns one sentence per user (Commands), the input expected by
// the embedding trainer.
func (s *SEA) Corpus() [][]string {
	out := make([][]string, len(s.Users))
	for i := range s.Users {
		out[i] = s.Users[i].Commands()
	}
	return out
}

// TrainCorpus returns one sentence per user made of the clean training
// commands only.
func (s *SEA) TrainCorpus() [][]string {
	out := make([][]string, len(s.Users))
	for i := range s.Users {
		out[i] = append([]string(nil), s.Users[i].Train...)
	}
	return out
}

// MasqueradeCount returns the number of masquerade blocks and the number of
// users with at least one.
func (s *SEA) MasqueradeCount() (blocks, users int) {
	for _, u := range s.Users {
		n := 0
		for _, l := range u.Labels {
			if l {
				n++
			}
		}
		blocks += n
		if n > 0 {
			users++
		}
	}
	return blocks, users
}
