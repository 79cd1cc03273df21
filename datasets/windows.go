package datasets

import "fmt"

// WindowCount is the number of windows of length commands taken every
// stride commands from a sequence of n: (n-length)/stride + 1, or 0 when
// n < length. length and stride must be positive.
func WindowCount(n, length, stride int) int {
	if length <= 0 || stride <= 0 || n < length {
		return 0
	}
	return (n-length)/stride + 1
}

// Windows cuts seq, one embedding of dimension D per command, into windows
// of length consecutive commands starting every stride commands. The result
// is flat, laid out [n, 1, length, D] (NCHW with one channel), and n is the
// window count (0 with an empty result when len(seq) < length). It fails
// when length or stride is not positive or the vectors differ in dimension.
func Windows(seq [][]float32, length, stride int) ([]float32, int, error) {
	if length <= 0 || stride <= 0 {
		return nil, 0, fmt.Errorf("datasets: window length %d and stride %d must be positive", length, stride)
	}
	d, err := commonDim(seq)
	if err != nil {
		return nil, 0, err
	}
	n := WindowCount(len(seq), length, stride)
	out := make([]float32, 0, n*length*d)
	for w := 0; w < n; w++ {
		for _, v := range seq[w*stride : w*stride+length] {
			out = append(out, v...)
		}
	}
	return out, n, nil
}

// Window makes one window, laid out [1, 1, length, D], from a block of
// exactly length command embeddings. It fails when the block has another
// length or its vectors differ in dimension.
func Window(block [][]float32, length int) ([]float32, error) {
	if length <= 0 || len(block) != length {
		return nil, fmt.Errorf("datasets: block has %d commands, want window length %d", len(block), length)
	}
	out, _, err := Windows(block, length, 1)
	return out, err
}

// Embed maps each command to its vector with lookup, which returns a vector
// of the same dimension for every command (unknown ones included). The
// vectors are copied.
func Embed(cmds []string, lookup func(string) []float32) [][]float32 {
	out := make([][]float32, len(cmds))
	for i, c := range cmds {
		out[i] = append([]float32(nil), lookup(c)...)
	}
	return out
}

// commonDim returns the dimension shared by all vectors of seq (0 for an
// empty seq) or an error naming the first vector that differs.
func commonDim(seq [][]float32) (int, error) {
	if len(seq) == 0 {
		return 0, nil
	}
	d := len(seq[0])
	if d == 0 {
		return 0, fmt.Errorf("datasets: vector 0 is empty")
	}
	for i, v := range seq {
		if len(v) != d {
			return 0, fmt.Errorf("datasets: vector %d has dimension %d, want %d", i, len(v), d)
		}
	}
	return d, nil
}
