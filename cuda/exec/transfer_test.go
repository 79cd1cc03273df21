package exec

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models/convvae"
	"github.com/vigil-ml/vigil/trainers"
	G "gorgonia.org/gorgonia"
)

// counting counts the calls and values a backend moves between the host
// and its arena; it records and replays as a GPU does.
type counting struct {
	*recordingCPU
	uploads, uploaded     int
	downloads, downloaded int
}

func (c *counting) Upload(dst Buf, src []float32) error {
	c.uploads++
	c.uploaded += len(src)
	return c.recordingCPU.Upload(dst, src)
}

func (c *counting) Download(dst []float32, src Buf) error {
	c.downloads++
	c.downloaded += len(dst)
	return c.recordingCPU.Download(dst, src)
}

func (c *counting) reset() { c.uploads, c.uploaded, c.downloads, c.downloaded = 0, 0, 0, 0 }

// TestResidentStepTransfers counts what a resident training step of the
// ConvVAE moves, as the trainer runs it with device: cuda: from the second
// step on (the first uploads the parameters and moments), it uploads the
// batch and the reparameterisation noise (dropout masks are drawn by the
// backend) and downloads two values, the loss and the non-finite flag (8
// bytes), not the registered outputs. ReadOutputs then downloads them, and
// they are the values a Run of the same step computes.
func TestResidentStepTransfers(t *testing.T) {
	const batch = 4
	build := func(b Backend) (*convvae.Net, *Runner) {
		m, err := convvae.New(tinyConfig(), rand.New(rand.NewPCG(1, 1)))
		must(t, err)
		net, err := m.BuildWith(graph.Train, batch, Factory(func() (Backend, error) { return b, nil }))
		must(t, err)
		t.Cleanup(func() { net.Close() })
		return net, net.Program.(*Runner)
	}
	c := &counting{recordingCPU: &recordingCPU{CPUBackend: NewCPUBackend()}}
	net, r := build(c)
	noise := 0
	for _, nz := range r.Program().Noise() {
		if nz.Mask == nil {
			noise += nz.Node.Shape().TotalSize()
		}
	}
	batchValues := net.X.Shape().TotalSize()
	opt := trainers.NewAdam(trainers.AdamConfig{LR: 1e-2})
	step := func(s int) *rand.Rand {
		fillInput(t, net.X, rand.New(rand.NewPCG(uint64(s), 9)))
		c.reset()
		u, err := opt.NextUpdate(r.Params())
		must(t, err)
		rng := rand.New(rand.NewPCG(7, uint64(s)))
		applied, err := r.Step(rng, u)
		must(t, err)
		if !applied {
			t.Fatalf("step %d not applied", s)
		}
		opt.Advance()
		return rand.New(rand.NewPCG(7, uint64(s)))
	}
	step(0)
	for s := 1; s <= 3; s++ {
		step(s)
		if c.downloads != 2 || c.downloaded != 2 {
			t.Errorf("step %d downloaded %d values (%d bytes) in %d calls; want the loss and the flag, 8 bytes in 2",
				s, c.downloaded, 4*c.downloaded, c.downloads)
		}
		if c.uploaded != batchValues+noise || c.uploads != 2 {
			t.Errorf("step %d uploaded %d values in %d calls; want the batch (%d) and the noise (%d) in 2",
				s, c.uploaded, c.uploads, batchValues, noise)
		}
	}
	if c.replays == 0 {
		t.Error("the schedule was never replayed")
	}

	// ReadOutputs downloads the outputs of the last step: the values a Run
	// computes from the same parameters, input and noise.
	must(t, r.Sync())
	rng := step(4)
	c.reset()
	must(t, r.ReadOutputs())
	if want := 1 + net.Recon.Shape().TotalSize() + net.Output.Shape().TotalSize(); c.downloaded != want {
		t.Errorf("ReadOutputs downloaded %d values, want %d", c.downloaded, want)
	}
	got := [2][]float32{clone(t, net.Recon), clone(t, net.Output)}
	ref, rr := build(NewCPUBackend())
	for i, p := range rr.Params() { // the parameters before step 4
		copy(p.Data(), r.Params()[i].Data())
	}
	x, err := graph.Float32s(net.X)
	must(t, err)
	must(t, graph.SetInput(ref.X, x))
	must(t, rr.Run(rng))
	for i, n := range []*G.Node{ref.Recon, ref.Output} {
		want := clone(t, n)
		for j := range want {
			if math.Float32bits(got[i][j]) != math.Float32bits(want[j]) {
				t.Fatalf("%s[%d] after ReadOutputs = %v, Run gives %v", n.Name(), j, got[i][j], want[j])
			}
		}
	}
}

func clone(t *testing.T, n *G.Node) []float32 {
	t.Helper()
	d, err := graph.Float32s(n)
	must(t, err)
	return append([]float32(nil), d...)
}
