package experiments

import (
	"fmt"
	"math"

	"github.com/vigil-ml/vigil/datasets"
	"github.com/vigil-ml/vigil/models/convvae"
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

func buildNearestTable(net *convvae.Net, test convvae.Windows, u datasets.SEAUser, t *commandTable, rows int) (*nearestTable, error) {
	block := 0
	for i, masq := range u.Labels {
		if masq {
			block = i
			break
		}
	}
	rec, err := convvae.Reconstruct(net, test, []int{block})
	if err != nil {
		return nil, err
	}
	dim := len(t.vecs[0])
	nt := &nearestTable{User: u.Name, Block: block + 1, Masq: u.Labels[block]}
	for r := 0; r < rows && r < len(u.Blocks[block]); r++ {
		word, cos := t.nearest(rec[0][r*dim : (r+1)*dim])
		nt.Rows = append(nt.Rows, []string{fmt.Sprint(r + 1), u.Blocks[block][r], word, fmt.Sprintf("%.3f", cos)})
	}
	return nt, nil
}

// nearest returns the command whose scaled vector has the highest cosine with v.
func (t *commandTable) nearest(v []float32) (string, float64) {
	best, bestCos := "", math.Inf(-1)
	for i, w := range t.vecs {
		if c := cosine(v, w); c > bestCos {
			best, bestCos = t.words[i], c
		}
	}
	return best, bestCos
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
