package program

import "gorgonia.org/tensor"

// refSlice copies positions [start, stop) of the middle axis of x, viewed
// as [outer, length, inner], to out [outer, stop-start, inner].
func refSlice(xs tensor.Shape, axis, start, stop int, out, x []float32) {
	outer, length, inner := axisLayout(xs, axis)
	count := stop - start
	for o := range outer {
		copy(out[o*count*inner:(o+1)*count*inner], x[(o*length+start)*inner:(o*length+stop)*inner])
	}
}

// refSliceAdd zeroes out (shape os) and writes g to positions [start,
// stop) of its axis: gorgonia's increment of a fresh zero tensor.
func refSliceAdd(os tensor.Shape, axis, start, stop int, out, g []float32) {
	clear(out)
	outer, length, inner := axisLayout(os, axis)
	count := stop - start
	for o := range outer {
		dst := out[(o*length+start)*inner : (o*length+stop)*inner]
		for i, v := range g[o*count*inner : (o+1)*count*inner] {
			dst[i] += v
		}
	}
}

// refConcat writes each input, in order, to its run of out's axis.
func refConcat(os tensor.Shape, axis int, ins []tensor.Shape, out []float32, args [][]float32) {
	outer, length, inner := axisLayout(os, axis)
	off := 0
	for i, x := range args {
		n := ins[i][axis]
		for o := range outer {
			copy(out[(o*length+off)*inner:(o*length+off+n)*inner], x[o*n*inner:(o+1)*n*inner])
		}
		off += n
	}
}
