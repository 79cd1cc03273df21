package registry

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// envWorkerDSN tells the re-executed test binary to act as a worker
// against that registry.
const envWorkerDSN = "VIGIL_REGISTRY_TEST_WORKER_DSN"

// workerReady prefixes the line the worker prints once its run is
// recorded and has heartbeated.
const workerReady = "vigil-worker-run "

// TestWorkerProcess is not a test: it is the worker testKilledWorker
// runs in a child process. It records a run, heartbeats, reports the
// run id, and heartbeats until killed (or 30 s pass).
func TestWorkerProcess(t *testing.T) {
	dsn := os.Getenv(envWorkerDSN)
	if dsn == "" {
		t.Skip("helper process for the KilledWorker tests")
	}
	ctx := context.Background()
	r, err := Open(dsn)
	must(t, err)
	defer r.Close()
	id, err := r.StartRun(ctx, RunInfo{Name: "doomed", Host: "child"})
	must(t, err)
	must(t, r.Heartbeat(ctx, id))
	if _, err := os.Stdout.WriteString(workerReady + strconv.FormatInt(id, 10) + "\n"); err != nil {
		t.Fatal(err)
	}
	for range 600 {
		time.Sleep(50 * time.Millisecond)
		must(t, r.Heartbeat(ctx, id))
	}
	t.Fatal("worker was not killed")
}

// testKilledWorker SIGKILLs a worker mid-run: its run stays "running"
// until ReapStale, run by a registry whose clock is an hour ahead,
// marks it failed.
func testKilledWorker(t *testing.T, dsn string) {
	ctx := context.Background()
	_ = openT(t, dsn) // migrate before the child starts
	cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), envWorkerDSN+"="+dsn)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())

	var id int64
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), workerReady); ok {
			id, err = strconv.ParseInt(rest, 10, 64)
			must(t, err)
			break
		}
	}
	if id == 0 {
		_ = cmd.Process.Kill()
		t.Fatalf("worker exited without reporting a run: %v, %v", lines.Err(), cmd.Wait())
	}
	time.Sleep(120 * time.Millisecond) // let it heartbeat mid-flight
	must(t, cmd.Process.Kill())        // SIGKILL: no deferred cleanup runs
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("worker exit: %v, want killed", err)
	}

	r := openT(t, dsn, WithClock(func() time.Time { return time.Now().Add(time.Hour) }))
	run, err := r.GetRun(ctx, id)
	must(t, err)
	if run.Status != StatusRunning || run.Host != "child" {
		t.Fatalf("killed worker's run: status %s host %q, want running child", run.Status, run.Host)
	}
	reaped, err := r.ReapStale(ctx, time.Minute)
	must(t, err)
	if len(reaped) != 1 || reaped[0] != id {
		t.Fatalf("ReapStale: %v, want [%d]", reaped, id)
	}
	run, err = r.GetRun(ctx, id)
	must(t, err)
	if run.Status != StatusFailed || !strings.HasPrefix(run.Error, "no heartbeat since ") {
		t.Errorf("reaped run: status %s error %q", run.Status, run.Error)
	}
}
