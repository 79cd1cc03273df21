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
		c.SetArgs([]string{"serve", run, "--addr", addr})
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
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve stopped with %v", err)
	}
}

func TestServeNeedsAModel(t *testing.T) {
	if _, err := execute(t, "serve", t.TempDir()); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
		t.Fatalf("empty directory: %v", err)
	}
}
