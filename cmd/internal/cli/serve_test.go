package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-ml/vigil/checkpoints"
)

// tinyLoginsRun trains a small IP Insights model on generated logins and
// returns its run directory.
func tinyLoginsRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "tiny.yaml")
	yaml := `version: 1
name: tiny_logins
task: logins
seed: 3
data:
  synthetic: {users: 60, networks: 40, days: 4, login_scale: 10, max_logins: 60}
  train_days: 3
model: {kind: ipinsights, num_entity_vectors: 128, vector_dim: 8, ip_hash_buckets: 256}
train: {epochs: 2, batch_size: 256, lr: 0.01}
`
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	if s, err := execute(t, "run", cfg, "--out", out); err != nil {
		t.Fatalf("run: %v\n%s", err, s)
	}
	return out
}

func TestScoreAndServeATrainedModel(t *testing.T) {
	run := tinyLoginsRun(t)
	input := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(input, []byte("alice,10.0.0.1\nbob,192.0.2.7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := NewRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs([]string{"score", run, "--input", input, "--verbose"})
	if err := cmd.Execute(); err != nil {
		t.Fatalf("score: %v", err)
	}
	lines := 0
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p struct {
			DotProduct      *float64  `json:"dot_product"`
			EntityEmbedding []float32 `json:"entity_embedding"`
		}
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil || p.DotProduct == nil || len(p.EntityEmbedding) != 8 {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines++
	}
	if lines != 2 {
		t.Fatalf("%d lines for 2 records", lines)
	}
	if err := os.WriteFile(input, []byte("alice,10.0.0.1\nbob,::1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := execute(t, "score", run, "--input", input); err == nil || !strings.Contains(err.Error(), "in.csv:2: \"::1\": IPv6 is not supported") {
		t.Fatalf("an IPv6 record: %v", err)
	}

	// vigil serve on a free port: ping, score, then a clean stop.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		c := NewRootCmd()
		c.SetOut(io.Discard)
		c.SetErr(io.Discard)
		c.SetArgs([]string{"serve", run, "--addr", addr, "--watch", "20ms"})
		done <- c.ExecuteContext(ctx)
	}()
	base := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/ping")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ping: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := http.Post(base+"/invocations", "text/csv", strings.NewReader("alice,10.0.0.1\n"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), `{"predictions":[{"dot_product":`) {
		t.Fatalf("invocations: %d %s", resp.StatusCode, body)
	}
	first := string(body)

	// Promote a retrained model (here: the same one with every entity
	// vector doubled) into the model directory: the server swaps to it.
	promote(t, filepath.Join(run, "models", "all"))
	for {
		resp, err := http.Post(base+"/invocations", "text/csv", strings.NewReader("alice,10.0.0.1\n"))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("invocations during the reload: %v %v", resp, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != first {
			var a, c struct {
				Predictions []struct {
					DotProduct float64 `json:"dot_product"`
				}
			}
			_ = json.Unmarshal([]byte(first), &a)
			_ = json.Unmarshal(b, &c)
			if d := c.Predictions[0].DotProduct - 2*a.Predictions[0].DotProduct; d > 1e-5 || d < -1e-5 {
				t.Fatalf("after promotion %s, before %s", b, first)
			}
			break
		}
		if time.Now().After(deadline.Add(10 * time.Second)) {
			t.Fatal("the promoted model was not loaded")
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), "step-000000011") {
		t.Fatalf("/metrics does not name the promoted model:\n%s", metrics)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve stopped with %v", err)
	}
}

// promote saves the newest checkpoint of dir again one step later with
// the entity table doubled, as a retraining job would promote a model.
func promote(t *testing.T, dir string) {
	t.Helper()
	path, ok, err := checkpoints.Latest(dir)
	if err != nil || !ok {
		t.Fatalf("no checkpoint in %s: %v", dir, err)
	}
	c, err := checkpoints.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tn := range c.Tensors {
		if tn.Name == "entity" {
			for i := range tn.Data {
				tn.Data[i] *= 2
			}
		}
	}
	c.Meta.Step++
	if _, err := checkpoints.Save(dir, c, 2); err != nil {
		t.Fatal(err)
	}
}

func TestServeNeedsAModel(t *testing.T) {
	if _, err := execute(t, "serve", t.TempDir()); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
		t.Fatalf("empty directory: %v", err)
	}
}
