//go:build gpu

package exec

import (
	"github.com/vigil-ml/vigil/cuda/device"
)

// stageMin is the smallest upload (in values) staged through pinned
// memory; smaller ones go through the driver's own staging.
const stageMin = 16 << 10

// stager copies uploads into one page-locked buffer and queues them
// asynchronously: the host returns as soon as its memcpy is done, and the
// copy overlaps the GPU's work. Regions are handed out in order and
// reclaimed all at once when the stream has drained (Synchronize, or a
// download, which returns only after all earlier work on the stream).
type stager struct {
	buf *device.HostBuffer
	off int
}

// upload stages src and queues its copy into dst on g's stream.
func (st *stager) upload(g *GPUBackend, dst device.Buffer, src []float32) error {
	n := alignUp(len(src))
	if st.buf == nil || st.off+n > st.buf.Len() {
		// Earlier staged copies may still read the buffer: drain first.
		if err := g.S.Synchronize(); err != nil {
			return err
		}
		st.off = 0
		if st.buf == nil || n > st.buf.Len() {
			if err := st.close(); err != nil {
				return err
			}
			b, err := g.D.NewHostBuffer(max(2*n, 1<<20))
			if err != nil {
				return err
			}
			st.buf = b
		}
	}
	copy(st.buf.Floats()[st.off:], src)
	if err := device.UploadAsync(g.S, dst, st.buf, st.off); err != nil {
		return err
	}
	st.off += n
	return nil
}

// drained reclaims every region: the stream has finished all copies.
func (st *stager) drained() { st.off = 0 }

func (st *stager) close() error {
	if st.buf == nil {
		return nil
	}
	err := st.buf.Close()
	st.buf, st.off = nil, 0
	return err
}
