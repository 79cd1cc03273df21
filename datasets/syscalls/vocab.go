package syscalls

import (
	"errors"
	"fmt"
	"strconv"
)

// Unknown is the id of calls not seen when the vocabulary was built.
const Unknown int32 = 0

// Vocab maps syscall tokens (see Call.Key) to ids 1, 2, .. in order of
// first appearance, keeping 0 for unknown calls, as the IntEmbedding of the
// LID-DS library does. The zero value is not usable; call NewVocab.
type Vocab struct {
	keys   []string // keys[id]; keys[0] = ""
	counts []int
	ids    map[string]int32
}

// NewVocab returns an empty vocabulary.
func NewVocab() *Vocab {
	return &Vocab{keys: []string{""}, counts: []int{0}, ids: map[string]int32{}}
}

// BuildVocab returns the vocabulary of the calls of traces.
func BuildVocab(traces []Trace) *Vocab {
	v := NewVocab()
	for _, t := range traces {
		v.AddTrace(t)
	}
	return v
}

// Add counts one occurrence of key and returns its id.
func (v *Vocab) Add(key string) int32 {
	id, ok := v.ids[key]
	if !ok {
		id = int32(len(v.keys))
		v.ids[key] = id
		v.keys = append(v.keys, key)
		v.counts = append(v.counts, 0)
	}
	v.counts[id]++
	return id
}

// AddTrace adds every call of t.
func (v *Vocab) AddTrace(t Trace) {
	if t.Calls != nil {
		for _, c := range t.Calls {
			v.Add(c.Key())
		}
		return
	}
	for _, n := range t.Nums {
		v.Add(strconv.Itoa(int(n)))
	}
}

// Len is the number of ids including Unknown: the size of an embedding
// table or output layer.
func (v *Vocab) Len() int { return len(v.keys) }

// ID returns the id of key, Unknown when it was never added.
func (v *Vocab) ID(key string) int32 { return v.ids[key] }

// Key returns the token of id ("" for Unknown or an id out of range).
func (v *Vocab) Key(id int32) string {
	if id <= 0 || int(id) >= len(v.keys) {
		return ""
	}
	return v.keys[id]
}

// Count returns how often the token of id was added.
func (v *Vocab) Count(id int32) int {
	if id <= 0 || int(id) >= len(v.keys) {
		return 0
	}
	return v.counts[id]
}

// Keys returns the tokens in id order, starting with "" for Unknown (a
// copy).
func (v *Vocab) Keys() []string { return append([]string(nil), v.keys...) }

// Encode returns the ids of the calls of t.
func (v *Vocab) Encode(t Trace) []int32 {
	if t.Calls != nil {
		return v.EncodeCalls(t.Calls)
	}
	out := make([]int32, len(t.Nums))
	for i, n := range t.Nums {
		out[i] = v.ids[strconv.Itoa(int(n))]
	}
	return out
}

// EncodeCalls returns the ids of calls.
func (v *Vocab) EncodeCalls(calls []Call) []int32 {
	out := make([]int32, len(calls))
	for i, c := range calls {
		out[i] = v.ids[c.Key()]
	}
	return out
}

// VocabFromKeys rebuilds a vocabulary from its Keys (keys[0] is the
// unknown call's ""), as a saved run's: the same ids, counts of zero.
func VocabFromKeys(keys []string) (*Vocab, error) {
	if len(keys) == 0 || keys[0] != "" {
		return nil, errors.New("syscalls: a vocabulary's keys start with the unknown call's \"\"")
	}
	v := &Vocab{keys: append([]string(nil), keys...), counts: make([]int, len(keys)), ids: make(map[string]int32, len(keys))}
	for i, k := range keys[1:] {
		if _, dup := v.ids[k]; dup || k == "" {
			return nil, fmt.Errorf("syscalls: vocabulary key %q repeated or empty", k)
		}
		v.ids[k] = int32(i + 1)
	}
	return v, nil
}
