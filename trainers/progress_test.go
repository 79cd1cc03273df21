package trainers

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
)

func TestProgressLogsWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, ProgressConfig{LogEvery: 4})
	tr, err := New(Config{Epochs: 2, BatchSize: 4, Seed: 1}, newRegressionTask(t, 1), WithHooks(p))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// 12 steps: train records at steps 4, 8 and 12; 2 epoch records; done.
	if len(lines) != 6 {
		t.Fatalf("%d log lines:\n%s", len(lines), out)
	}
	for _, want := range []string{"msg=train", "step=4", "total_steps=12", "samples_per_s=", "msg=epoch", "val_loss=", "best_epoch=", "epoch=2", "msg=done", "steps=12"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\r") {
		t.Error("log output contains carriage returns")
	}
}

func TestProgressUsesGivenLogger(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(os.Stderr, ProgressConfig{Mode: ProgressLog, Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	if err := p.OnEpoch(EpochInfo{Epoch: 0, TrainLoss: 0.5}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"msg":"epoch"`) || !strings.Contains(buf.String(), `"loss":0.5`) {
		t.Errorf("json log %s", buf.String())
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, ProgressConfig{Mode: ProgressBar})
	tr, err := New(Config{Epochs: 2, BatchSize: 4, Seed: 1}, newRegressionTask(t, 1), WithHooks(p))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"\r\x1b[Kepoch 1/2 [", "/12 loss ", "steps/s ETA ", "epoch 1/2: loss ", "val_loss", "epoch 2/2: loss ", "12/12"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar output lacks %q:\n%q", want, out)
		}
	}
	if !strings.HasSuffix(out, "\n") || strings.Count(out, "\n") != 2 {
		t.Errorf("want one finished line per epoch, got %q", out)
	}
}

func TestBarRendering(t *testing.T) {
	cases := map[[2]int]string{
		{0, 10}:  "[>         ]",
		{5, 10}:  "[=====>    ]",
		{10, 10}: "[==========]",
		{3, 0}:   "[==========]",
	}
	for in, want := range cases {
		if got := bar(in[0], in[1], 10); got != want {
			t.Errorf("bar(%d, %d) = %q, want %q", in[0], in[1], got, want)
		}
	}
}
