package logins

import (
	"fmt"
	"net/netip"

	ds "github.com/vigil-ml/vigil/datasets/logins"
	"github.com/vigil-ml/vigil/models"
)

// input is the layout of every example: the pair [entity key, IPv4] of
// logins.PairFeatures, no float features.
var input = models.Input{IntShape: []int{2}}

// encode turns n pairs, given by their entity and address, into examples.
func encode(n int, pair func(i int) (string, netip.Addr)) (models.Examples, error) {
	ex := models.Examples{Input: input, N: n, Int: make([]int32, 0, 2*n)}
	for i := range n {
		entity, ip := pair(i)
		f, ok := ds.PairFeatures(entity, ip)
		if !ok {
			return models.Examples{}, fmt.Errorf("logins: event %d of %q: %v is not an IPv4 address", i, entity, ip)
		}
		ex.Int = append(ex.Int, f[:]...)
	}
	return ex, nil
}

// encodeEvents encodes events.
func encodeEvents(events []ds.Event) (models.Examples, error) {
	return encode(len(events), func(i int) (string, netip.Addr) { return events[i].Entity, events[i].IP })
}

// encodeLabelled encodes labelled events.
func encodeLabelled(events []ds.LabelledEvent) (models.Examples, error) {
	return encode(len(events), func(i int) (string, netip.Addr) { return events[i].Entity, events[i].IP })
}
