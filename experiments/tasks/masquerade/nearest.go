package masquerade

import (
	"fmt"

	"github.com/vigil-ml/vigil/datasets/embed"

	"github.com/vigil-ml/vigil/datasets"
	"github.com/vigil-ml/vigil/models"
)

// nearestTable decodes a reconstructed test block row by row to the nearest
// known command (cosine similarity of the [0, 1]-scaled vectors), the seed's
// way of reading what the autoencoder "thinks" the user typed.
type nearestTable struct {
	User  string
	Block int
	Masq  bool
	Rows  [][]string // position, typed command, nearest to reconstruction, cosine
}

func buildNearestTable(rec models.Reconstructor, test models.Examples, u datasets.SEAUser, t *commandTable, rows int) (*nearestTable, error) {
	block := 0
	for i, masq := range u.Labels {
		if masq {
			block = i
			break
		}
	}
	recon, err := rec.Reconstruct(test, []int{block})
	if err != nil {
		return nil, err
	}
	dim := len(t.vecs[0])
	nt := &nearestTable{User: u.Name, Block: block + 1, Masq: u.Labels[block]}
	for r := 0; r < rows && r < len(u.Blocks[block]); r++ {
		word, cos := t.nearest(recon[0][r*dim : (r+1)*dim])
		nt.Rows = append(nt.Rows, []string{fmt.Sprint(r + 1), u.Blocks[block][r], word, fmt.Sprintf("%.3f", cos)})
	}
	return nt, nil
}

// nearest returns the command whose scaled vector has the highest cosine with v.
func (t *commandTable) nearest(v []float32) (string, float64) {
	if t.search == nil {
		t.search, _ = embed.NewVectors(t.words, t.vecs)
	}
	if t.search == nil {
		return "", 0
	}
	n := t.search.Nearest(v, 1)
	if len(n) == 0 {
		return "", 0
	}
	return n[0].Word, n[0].Cosine
}
