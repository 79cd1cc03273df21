//go:build gpu

package device

import (
	"fmt"
	"math"

	"gorgonia.org/cu"
)

// BlockSize is the thread count of elementwise launches.
const BlockSize = 256

// maxN bounds the element counts given to kernels, whose indices are int
// and whose grid-stride loops must not overflow.
const maxN = 1 << 30

// Function returns the kernel called name in the embedded module. Lookups
// are cached: after the first, a lookup takes no lock and no driver call.
func (d *Device) Function(name string) (Function, error) {
	if d.closed.Load() {
		return Function{}, ErrClosed
	}
	if f, ok := d.fns.Load(name); ok {
		return f.(Function), nil
	}
	var f Function
	err := d.do(func() error {
		cf, err := d.mod.function(name)
		f = Function{Name: name, f: cf}
		return err
	})
	if err != nil {
		return Function{}, err
	}
	d.fns.Store(name, f)
	return f, nil
}

// Dim is a launch configuration: a 1-D grid of 1-D blocks.
type Dim struct {
	Grid, Block int
	Shared      int // dynamic shared memory in bytes (the kernels use none)
}

// GridFor returns the configuration of an elementwise (grid-stride) kernel
// over n items: BlockSize threads per block and enough blocks to cover n,
// at most 8 per multiprocessor (the loop does the rest).
func (d *Device) GridFor(n int) Dim {
	blocks := (n + BlockSize - 1) / BlockSize
	blocks = min(blocks, 8*max(d.SMs, 1))
	return Dim{Grid: max(blocks, 1), Block: BlockSize}
}

// RowsFor returns the configuration of a block-per-row kernel over rows
// rows of cols items: a multiple of 32 threads up to BlockSize, sized to
// the row, and one block per row up to 8 per multiprocessor.
func (d *Device) RowsFor(rows, cols int) Dim {
	block := min(max((cols+31)/32*32, 32), BlockSize)
	grid := min(max(rows, 1), 8*max(d.SMs, 1))
	return Dim{Grid: grid, Block: block}
}

// Launch queues kernel name on s with the configuration dim. Each argument
// is a Buffer or cu.DevicePtr (a pointer parameter), an int or int32 (an
// int parameter), a uint64 (unsigned long long), a float32 (float) or a
// float64 (double); they must match the kernel's parameters in number,
// order and type, which the driver does not check: use the typed wrappers
// where there is one. Inside s.Bound the launch makes no call but
// cuLaunchKernel.
func (d *Device) Launch(s *Stream, name string, dim Dim, args ...any) error {
	f, err := d.Function(name)
	if err != nil {
		return err
	}
	if len(args) > maxArgs {
		return fmt.Errorf("device: %s: %d arguments, at most %d", name, len(args), maxArgs)
	}
	if dim.Grid < 1 || dim.Block < 1 || dim.Block > 1024 {
		return fmt.Errorf("device: %s: bad launch configuration %+v", name, dim)
	}
	// Every argument gets an 8-byte slot; a 4-byte parameter reads the low
	// half (little-endian). The slots are the stream's: a stream is used
	// by one goroutine at a time.
	slots := s.args[:len(args)]
	for i, a := range args {
		switch v := a.(type) {
		case Buffer:
			slots[i] = uint64(v.Ptr)
		case cu.DevicePtr:
			slots[i] = uint64(v)
		case int:
			if v < math.MinInt32 || v > math.MaxInt32 {
				return fmt.Errorf("device: %s: argument %d = %d does not fit an int", name, i, v)
			}
			slots[i] = uint64(uint32(int32(v)))
		case int32:
			slots[i] = uint64(uint32(v))
		case uint64:
			slots[i] = v
		case float32:
			slots[i] = uint64(math.Float32bits(v))
		case float64:
			slots[i] = math.Float64bits(v)
		default:
			return fmt.Errorf("device: %s: argument %d has unsupported type %T", name, i, a)
		}
	}
	return s.do(func() error {
		if r := launch(f.f, dim, s, slots); r != 0 {
			return driverErr(fmt.Sprintf("cuLaunchKernel(%s, grid %d, block %d)", name, dim.Grid, dim.Block), r)
		}
		return nil
	})
}

// checkN reports element counts the kernels cannot index.
func checkN(name string, counts ...int) error {
	total := 1
	for _, c := range counts {
		if c < 0 {
			return fmt.Errorf("device: %s: negative size %d", name, c)
		}
		if c > 0 && total > maxN/c {
			return fmt.Errorf("device: %s: %v elements exceed the kernels' limit of %d", name, counts, maxN)
		}
		total *= c
	}
	return nil
}

// checkLen reports a buffer shorter than n elements.
func checkLen(name, what string, b Buffer, n int) error {
	if b.Len < n {
		return fmt.Errorf("device: %s: %s has %d elements, needs %d", name, what, b.Len, n)
	}
	return nil
}
