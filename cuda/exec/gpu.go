//go:build gpu

package exec

import (
	"errors"
	"fmt"

	"github.com/vigil-ml/vigil/cuda/device"
)

// GPUBackend runs the primitives on one GPU through cuda/device: kernels
// of the embedded module and cuBLAS SGEMM, queued in order on one stream
// over one device arena.
type GPUBackend struct {
	D    *device.Device
	S    *device.Stream
	Blas *device.Blas

	arena  *device.Arena
	base   device.Buffer   // the whole arena
	graphs []*device.Graph // recordings over the current arena
	stage  stager          // pinned staging of large uploads
}

// Bound runs f with the context bound once for all of its calls on the
// stream (device.Stream.Bound).
func (g *GPUBackend) Bound(f func() error) error { return g.S.Bound(f) }

// Record captures the calls run queues into a CUDA graph; replay launches
// it. See Recorder and device.Stream.Capture.
func (g *GPUBackend) Record(run func() error) (func() error, error) {
	gr, err := g.S.Capture(run)
	if err != nil {
		return nil, err
	}
	g.graphs = append(g.graphs, gr)
	return func() error { return gr.Launch(g.S) }, nil
}

// closeGraphs frees every recording (their replays fail from then on).
func (g *GPUBackend) closeGraphs() error {
	var err error
	for _, gr := range g.graphs {
		err = errors.Join(err, gr.Close())
	}
	g.graphs = nil
	return err
}

// NewGPUBackend creates a stream and a cuBLAS handle on d; Reserve
// allocates the arena. Close releases them (not d).
func NewGPUBackend(d *device.Device) (*GPUBackend, error) {
	s, err := d.NewStream()
	if err != nil {
		return nil, err
	}
	b, err := d.OpenBlas()
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	return &GPUBackend{D: d, S: s, Blas: b}, nil
}

// Close frees the arena, the cuBLAS handle and the stream.
func (g *GPUBackend) Close() error {
	err := errors.Join(g.S.Synchronize(), g.closeGraphs(), g.stage.close())
	if g.arena != nil {
		if e := g.arena.Close(); err == nil {
			err = e
		}
		g.arena = nil
	}
	if e := g.Blas.Close(); err == nil {
		err = e
	}
	if e := g.S.Close(); err == nil {
		err = e
	}
	return err
}

// Reserve allocates an arena of n values (when the current one is
// smaller; its content is lost).
func (g *GPUBackend) Reserve(n int) error {
	if n <= g.base.Len {
		return nil
	}
	if g.arena != nil {
		if err := g.S.Synchronize(); err != nil {
			return err
		}
		if err := g.closeGraphs(); err != nil {
			return err
		}
		if err := g.arena.Close(); err != nil {
			return err
		}
		g.arena, g.base = nil, device.Buffer{}
	}
	a, err := g.D.NewArena(int64(n) * device.ElemSize)
	if err != nil {
		return err
	}
	base, err := a.Alloc(n)
	if err != nil {
		_ = a.Close()
		return err
	}
	g.arena, g.base = a, base
	return nil
}

// buf returns the first n values of b; the zero Buf is the NULL buffer.
func (g *GPUBackend) buf(b Buf, n int) (device.Buffer, error) {
	if b.Len == 0 {
		return device.Buffer{}, nil
	}
	if b.Off < 0 || n < 0 || n > b.Len || b.Off+b.Len > g.base.Len {
		return device.Buffer{}, fmt.Errorf("buffer %v (need %d) outside the arena of %d", b, n, g.base.Len)
	}
	return g.base.Slice(b.Off, n), nil
}

// bufs returns the first n values of each of bs.
func (g *GPUBackend) bufs(n int, bs ...Buf) ([]device.Buffer, error) {
	out := make([]device.Buffer, len(bs))
	for i, b := range bs {
		d, err := g.buf(b, n)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// Upload copies src into dst; src may be reused when it returns. Large
// uploads are staged through pinned memory and overlap the GPU's work.
func (g *GPUBackend) Upload(dst Buf, src []float32) error {
	d, err := g.buf(dst, dst.Len)
	if err != nil {
		return err
	}
	if len(src) != d.Len || len(src) < stageMin {
		return device.Upload(g.S, d, src)
	}
	return g.stage.upload(g, d, src)
}

// Download copies src into dst after the queued work.
func (g *GPUBackend) Download(dst []float32, src Buf) error {
	s, err := g.buf(src, src.Len)
	if err != nil {
		return err
	}
	if err := device.Download(g.S, dst, s); err != nil {
		return err
	}
	// A download into pageable memory returns once the copy is done, so
	// everything queued before it, staged uploads included, has finished.
	g.stage.drained()
	return nil
}

// Synchronize waits for the stream.
func (g *GPUBackend) Synchronize() error {
	if err := g.S.Synchronize(); err != nil {
		return err
	}
	g.stage.drained()
	return nil
}

var (
	_ Backend  = (*GPUBackend)(nil)
	_ Recorder = (*GPUBackend)(nil)
	_ Binder   = (*GPUBackend)(nil)
)
