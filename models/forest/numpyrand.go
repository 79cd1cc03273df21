package forest

// The random streams of scikit-learn, reproduced so that a forest trained
// with a given seed is the forest scikit-learn trains with that
// random_state: numpy's legacy RandomState (MT19937 seeded by
// init_genrand, bounded integers by masked rejection) and the xorshift
// generator (our_rand_r) that scikit-learn's tree splitters draw features
// and thresholds from.

const (
	mtN       = 624
	mtM       = 397
	mtMatrixA = 0x9908b0df
	mtUpper   = 0x80000000
	mtLower   = 0x7fffffff

	// randRMax is scikit-learn's RAND_R_MAX, 2³¹ − 1.
	randRMax = 0x7fffffff
	// maxInt32 is np.iinfo(np.int32).max, the bound scikit-learn draws
	// per-estimator seeds below.
	maxInt32 = 0x7fffffff
)

// randomState is numpy's legacy RandomState on MT19937: the generator that
// np.random.RandomState(seed) and scikit-learn's check_random_state(seed)
// return for an integer seed.
type randomState struct {
	key [mtN]uint32
	pos int
}

// newRandomState seeds as RandomState(seed) does (init_genrand).
func newRandomState(seed uint32) *randomState {
	r := &randomState{pos: mtN}
	for i := range mtN {
		r.key[i] = seed
		seed = 1812433253*(seed^(seed>>30)) + uint32(i) + 1
	}
	return r
}

func (r *randomState) generate() {
	var y uint32
	i := 0
	for ; i < mtN-mtM; i++ {
		y = r.key[i]&mtUpper | r.key[i+1]&mtLower
		r.key[i] = r.key[i+mtM] ^ y>>1 ^ (-(y & 1) & mtMatrixA)
	}
	for ; i < mtN-1; i++ {
		y = r.key[i]&mtUpper | r.key[i+1]&mtLower
		r.key[i] = r.key[i+mtM-mtN] ^ y>>1 ^ (-(y & 1) & mtMatrixA)
	}
	y = r.key[mtN-1]&mtUpper | r.key[0]&mtLower
	r.key[mtN-1] = r.key[mtM-1] ^ y>>1 ^ (-(y & 1) & mtMatrixA)
	r.pos = 0
}

// uint32 is the next tempered 32-bit output.
func (r *randomState) uint32() uint32 {
	if r.pos == mtN {
		r.generate()
	}
	y := r.key[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return y
}

// interval returns a uniform integer in [0, max] by masked rejection, as
// numpy's random_interval and its 32-bit bounded-integer path do. max must
// be below 2³²; max = 0 draws nothing.
func (r *randomState) interval(max uint32) uint32 {
	if max == 0 {
		return 0
	}
	if max == 0xffffffff {
		return r.uint32()
	}
	mask := max
	mask |= mask >> 1
	mask |= mask >> 2
	mask |= mask >> 4
	mask |= mask >> 8
	mask |= mask >> 16
	for {
		if v := r.uint32() & mask; v <= max {
			return v
		}
	}
}

// randint is RandomState.randint(low, high) for a scalar of the default
// integer dtype: uniform in [low, high). high − low must be in [1, 2³²].
func (r *randomState) randint(low, high int) int {
	return low + int(r.interval(uint32(high-low-1)))
}

// uniform is RandomState.uniform() (random_sample): a double in [0, 1)
// with 53 random bits.
func (r *randomState) uniform() float64 {
	a := r.uint32() >> 5
	b := r.uint32() >> 6
	return (float64(a)*67108864 + float64(b)) / 9007199254740992
}

// permutation is RandomState.permutation(n): a Fisher–Yates shuffle of
// 0…n−1 from the last position down.
func (r *randomState) permutation(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i >= 1; i-- {
		j := int(r.interval(uint32(i)))
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// randR is scikit-learn's our_rand_r: a 32-bit xorshift whose state is
// seeded by RandomState.randint(0, RAND_R_MAX) when a splitter starts.
type randR uint32

func (s *randR) next() uint32 {
	if *s == 0 {
		*s = 1 // DEFAULT_SEED
	}
	v := uint32(*s)
	v ^= v << 13
	v ^= v >> 17
	v ^= v << 5
	*s = randR(v)
	return v % (randRMax + 1)
}

// intn is scikit-learn's rand_int(low, high): low + our_rand_r % (high − low).
func (s *randR) intn(low, high int) int {
	return low + int(s.next()%uint32(high-low))
}

// uniform is scikit-learn's rand_uniform(low, high).
func (s *randR) uniform(low, high float64) float64 {
	return (high-low)*float64(s.next())/randRMax + low
}

// estimatorSeeds returns the random_state scikit-learn gives each of n
// estimators of an ensemble seeded with seed: successive
// RandomState(seed).randint(MAX_INT) draws. The seed of estimator t is a
// function of (seed, t) only.
func estimatorSeeds(seed uint32, n int) []uint32 {
	r := newRandomState(seed)
	out := make([]uint32, n)
	for t := range out {
		out[t] = uint32(r.randint(0, maxInt32))
	}
	return out
}

// splitterState is the xorshift seed a scikit-learn tree fitted with
// random_state = seed starts its splitter from.
func splitterState(seed uint32) randR {
	return randR(newRandomState(seed).randint(0, randRMax))
}
