package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// freshDSN names a new, empty database for one test.
type freshDSN func(t *testing.T) string

// runSuite is the behavioural test suite every engine must pass.
func runSuite(t *testing.T, fresh freshDSN) {
	tests := []struct {
		name string
		fn   func(t *testing.T, dsn string)
	}{
		{"MigrateFromEmpty", testMigrateFromEmpty},
		{"ReopenIsNoOp", testReopenIsNoOp},
		{"UpgradeFromOlder", testUpgradeFromOlder},
		{"RefuseNewerSchema", testRefuseNewerSchema},
		{"ConcurrentOpen", testConcurrentOpen},
		{"RunRoundTrip", testRunRoundTrip},
		{"ListAndBest", testListAndBest},
		{"Sweeps", testSweeps},
		{"Promotions", testPromotions},
		{"ReapStale", testReapStale},
		{"ConcurrentWriters", testConcurrentWriters},
		{"KilledWorker", testKilledWorker},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, fresh(t)) })
	}
}

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openT(t *testing.T, dsn string, opts ...Option) *Registry {
	t.Helper()
	r, err := Open(dsn, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return r
}

// must fails the test on a non-nil error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, r *Registry, table string) int {
	t.Helper()
	var n int
	must(t, r.queryRow(context.Background(), r.db, `SELECT COUNT(*) FROM `+table).Scan(&n))
	return n
}

func testMigrateFromEmpty(t *testing.T, dsn string) {
	r := openT(t, dsn)
	v, err := r.schemaVersion(context.Background())
	must(t, err)
	if v != SchemaVersion || SchemaVersion != len(migrations) {
		t.Fatalf("version %d, SchemaVersion %d, %d migrations", v, SchemaVersion, len(migrations))
	}
	if n := count(t, r, "schema_migrations"); n != SchemaVersion {
		t.Errorf("schema_migrations has %d rows, want %d", n, SchemaVersion)
	}
	for _, table := range []string{"runs", "metrics", "curves", "artifacts", "sweeps", "promotions"} {
		if n := count(t, r, table); n != 0 {
			t.Errorf("%s has %d rows in a new registry", table, n)
		}
	}
}

func appliedAt(t *testing.T, r *Registry) []string {
	t.Helper()
	rows, err := r.query(context.Background(), r.db, `SELECT applied_at FROM schema_migrations ORDER BY version`)
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		must(t, rows.Scan(&s))
		out = append(out, s)
	}
	must(t, rows.Err())
	return out
}

func testReopenIsNoOp(t *testing.T, dsn string) {
	clock := newFakeClock()
	first := appliedAt(t, openT(t, dsn, WithClock(clock.now)))
	clock.advance(time.Hour)
	second := appliedAt(t, openT(t, dsn, WithClock(clock.now)))
	if !slices.Equal(first, second) {
		t.Errorf("re-open changed schema_migrations: %v then %v", first, second)
	}
}

func testUpgradeFromOlder(t *testing.T, dsn string) {
	ctx := context.Background()
	old, err := connect(dsn)
	must(t, err)
	must(t, old.migrate(ctx, 1))
	id, err := old.StartRun(ctx, RunInfo{Name: "before-upgrade"})
	must(t, err)
	v, err := old.schemaVersion(ctx)
	must(t, err)
	must(t, old.Close())
	if v != 1 {
		t.Fatalf("old database at version %d, want 1", v)
	}

	r := openT(t, dsn)
	if v, err := r.schemaVersion(ctx); err != nil || v != SchemaVersion {
		t.Fatalf("after upgrade: version %d, %v; want %d", v, err, SchemaVersion)
	}
	run, err := r.GetRun(ctx, id)
	must(t, err)
	if run.Name != "before-upgrade" || run.Status != StatusRunning {
		t.Errorf("run after upgrade: %+v", run)
	}
}

func testRefuseNewerSchema(t *testing.T, dsn string) {
	ctx := context.Background()
	r, err := Open(dsn)
	must(t, err)
	_, err = r.exec(ctx, r.db, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')`,
		SchemaVersion+1)
	must(t, err)
	must(t, r.Close())

	_, err = Open(dsn)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open of a newer database: %v, want ErrSchemaTooNew", err)
	}
	if want := fmt.Sprintf("version %d", SchemaVersion+1); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}
}

func testConcurrentOpen(t *testing.T, dsn string) {
	const openers = 8
	regs := make([]*Registry, openers)
	errs := make([]error, openers)
	var wg sync.WaitGroup
	for i := range openers {
		wg.Go(func() { regs[i], errs[i] = Open(dsn) })
	}
	wg.Wait()
	for i, r := range regs {
		if errs[i] != nil {
			t.Errorf("opener %d: %v", i, errs[i])
			continue
		}
		t.Cleanup(func() { must(t, r.Close()) })
	}
	if t.Failed() {
		return
	}
	if n := count(t, regs[0], "schema_migrations"); n != SchemaVersion {
		t.Errorf("schema_migrations has %d rows after %d concurrent opens, want %d", n, openers, SchemaVersion)
	}
}

func testRunRoundTrip(t *testing.T, dsn string) {
	ctx := context.Background()
	clock := newFakeClock()
	r := openT(t, dsn, WithClock(clock.now))
	start := clock.now()

	info := RunInfo{
		Name: "sea_fast", ConfigJSON: []byte(`{"epochs":3}`), Commit: "abc123",
		Device: "cuda:0", Host: "gpu-7", OutDir: "runs/sea_fast/001",
	}
	id, err := r.StartRun(ctx, info)
	must(t, err)
	clock.advance(time.Minute)
	must(t, r.Heartbeat(ctx, id))
	beat := clock.now()

	run, err := r.GetRun(ctx, id)
	must(t, err)
	if run.Status != StatusRunning || !run.StartedAt.Equal(start) || !run.HeartbeatAt.Equal(beat) || !run.EndedAt.IsZero() {
		t.Errorf("live run: %+v", run)
	}

	metrics := map[string]float64{"pooled.model.auc": 0.91, "loss": 0.25, "inf": math.Inf(1)}
	must(t, r.AddMetrics(ctx, id, metrics))
	must(t, r.AddMetrics(ctx, id, map[string]float64{"loss": 0.2}))
	metrics["loss"] = 0.2
	if err := r.AddMetrics(ctx, id, map[string]float64{"bad": math.NaN()}); err == nil {
		t.Error("AddMetrics stored NaN")
	}
	curve := []CurvePoint{
		{Unit: "step", Step: 1, Epoch: 0, Key: "train.loss", Value: 1.5},
		{Unit: "step", Step: 2, Epoch: 0, Key: "train.loss", Value: 1.25},
		{Unit: "epoch", Step: 2, Epoch: 1, Key: "val.auc", Value: 0.8},
	}
	must(t, r.AddCurve(ctx, id, curve))
	must(t, r.AddArtifact(ctx, id, "model", "file:///tmp/old"))
	must(t, r.AddArtifact(ctx, id, "model", "file:///runs/model"))
	must(t, r.AddArtifact(ctx, id, "log", "file:///runs/log"))
	clock.advance(time.Minute)
	must(t, r.FinishRun(ctx, id, StatusComplete, ""))
	end := clock.now()

	got, err := r.GetRun(ctx, id)
	must(t, err)
	want := Run{
		ID: id, RunInfo: info, Status: StatusComplete,
		StartedAt: start, EndedAt: end, HeartbeatAt: end, Metrics: metrics,
		Artifacts: []Artifact{{"log", "file:///runs/log"}, {"model", "file:///runs/model"}},
	}
	want.Kind = KindRun
	sum := sha256.Sum256(info.ConfigJSON)
	want.ConfigHash = hex.EncodeToString(sum[:])
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GetRun:\n got %+v\nwant %+v", got, want)
	}

	all, err := r.Curve(ctx, id, "")
	must(t, err)
	if !reflect.DeepEqual(all, curve) {
		t.Errorf("Curve all: %+v", all)
	}
	val, err := r.Curve(ctx, id, "val.auc")
	must(t, err)
	if !reflect.DeepEqual(val, curve[2:]) {
		t.Errorf("Curve val.auc: %+v", val)
	}

	if err := r.Heartbeat(ctx, id); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Heartbeat of a finished run: %v", err)
	}
	if err := r.FinishRun(ctx, id, StatusFailed, "late"); !errors.Is(err, ErrNotRunning) {
		t.Errorf("second FinishRun: %v", err)
	}
	if err := r.FinishRun(ctx, id, StatusRunning, ""); err == nil {
		t.Error("FinishRun accepted a live status")
	}
	if _, err := r.GetRun(ctx, id+100); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetRun of an unknown id: %v", err)
	}
	if err := r.Heartbeat(ctx, id+100); !errors.Is(err, ErrNotFound) {
		t.Errorf("Heartbeat of an unknown id: %v", err)
	}
	if _, err := r.StartRun(ctx, RunInfo{Name: "x", Kind: "bogus"}); err == nil {
		t.Error("StartRun accepted an unknown kind")
	}
	if err := r.AddMetrics(ctx, id+100, map[string]float64{"a": 1}); err == nil {
		t.Error("AddMetrics for an unknown run passed the foreign key")
	}
}

// seedRuns records runs for the list tests: name, kind, final status,
// auc (NaN: none), one minute apart.
func seedRuns(t *testing.T, r *Registry, clock *fakeClock, sweep int64) []int64 {
	ctx := context.Background()
	specs := []struct {
		name   string
		kind   Kind
		status Status
		auc    float64
	}{
		{"a", KindRun, StatusComplete, 0.7},
		{"a", KindRun, StatusComplete, 0.9},
		{"a", KindRun, StatusFailed, 0.99}, // better, but failed
		{"b", KindRetrain, StatusComplete, 0.8},
		{"a", KindRun, StatusComplete, math.NaN()},
		{"s", KindTrial, StatusComplete, 0.6},
		{"s", KindTrial, StatusComplete, 0.95},
	}
	var ids []int64
	for i, s := range specs {
		info := RunInfo{Name: s.name, Kind: s.kind}
		if s.kind == KindTrial {
			info.SweepID, info.TrialNumber = sweep, i
		}
		id, err := r.StartRun(ctx, info)
		must(t, err)
		if !math.IsNaN(s.auc) {
			must(t, r.AddMetrics(ctx, id, map[string]float64{"auc": s.auc}))
		}
		must(t, r.FinishRun(ctx, id, s.status, ""))
		ids = append(ids, id)
		clock.advance(time.Minute)
	}
	return ids
}

func ids(runs []Run) []int64 {
	out := make([]int64, len(runs))
	for i, r := range runs {
		out[i] = r.ID
	}
	return out
}

func testListAndBest(t *testing.T, dsn string) {
	ctx := context.Background()
	clock := newFakeClock()
	r := openT(t, dsn, WithClock(clock.now))
	sweep, err := r.CreateSweep(ctx, SweepInfo{Name: "s", Objective: "auc"})
	must(t, err)
	since := clock.now().Add(3 * time.Minute)
	id := seedRuns(t, r, clock, sweep)

	cases := []struct {
		name string
		f    Filter
		want []int64
	}{
		{"all", Filter{}, id},
		{"newest first", Filter{Desc: true, Limit: 2}, []int64{id[6], id[5]}},
		{"name", Filter{Name: "a"}, []int64{id[0], id[1], id[2], id[4]}},
		{"kind", Filter{Kind: KindRetrain}, []int64{id[3]}},
		{"status", Filter{Status: StatusFailed}, []int64{id[2]}},
		{"sweep", Filter{SweepID: sweep}, []int64{id[5], id[6]}},
		{"since", Filter{Since: since}, id[3:]},
		{"auc ascending, missing last", Filter{Name: "a", MetricKey: "auc"}, []int64{id[0], id[1], id[2], id[4]}},
		{"auc descending, missing last", Filter{MetricKey: "auc", Desc: true}, []int64{id[2], id[6], id[1], id[3], id[0], id[5], id[4]}},
		{"limit", Filter{MetricKey: "auc", Desc: true, Limit: 3}, []int64{id[2], id[6], id[1]}},
	}
	for _, c := range cases {
		runs, err := r.ListRuns(ctx, c.f)
		must(t, err)
		if got := ids(runs); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	runs, err := r.ListRuns(ctx, Filter{Name: "a", MetricKey: "auc"})
	must(t, err)
	if runs[0].Metrics["auc"] != 0.7 || runs[3].Metrics != nil {
		t.Errorf("ListRuns metrics: %v, %v", runs[0].Metrics, runs[3].Metrics)
	}

	bests := []struct {
		name     string
		scope    Filter
		maximize bool
		want     int64
	}{
		{"max over complete", Filter{}, true, id[6]},
		{"max by name", Filter{Name: "a"}, true, id[1]},
		{"max including failed", Filter{Name: "a", Status: StatusFailed}, true, id[2]},
		{"min", Filter{}, false, id[5]},
		{"max in sweep", Filter{SweepID: sweep}, true, id[6]},
	}
	for _, b := range bests {
		run, err := r.Best(ctx, b.scope, "auc", b.maximize)
		must(t, err)
		if run.ID != b.want || run.Metrics["auc"] == 0 {
			t.Errorf("Best %s: run %d %v, want %d", b.name, run.ID, run.Metrics, b.want)
		}
	}
	if _, err := r.Best(ctx, Filter{}, "no-such-metric", true); !errors.Is(err, ErrNotFound) {
		t.Errorf("Best of a missing metric: %v", err)
	}
}

func testSweeps(t *testing.T, dsn string) {
	ctx := context.Background()
	clock := newFakeClock()
	r := openT(t, dsn, WithClock(clock.now))
	info := SweepInfo{Name: "lr", SpecJSON: []byte(`{"lr":[0.1,0.01]}`), Objective: "loss", Direction: Minimize}
	sid, err := r.CreateSweep(ctx, info)
	must(t, err)
	got, err := r.GetSweep(ctx, sid)
	must(t, err)
	if want := (Sweep{ID: sid, SweepInfo: info, Status: SweepRunning, CreatedAt: clock.now()}); !reflect.DeepEqual(got, want) {
		t.Errorf("GetSweep:\n got %+v\nwant %+v", got, want)
	}
	if _, err := r.CreateSweep(ctx, SweepInfo{Name: "x", Direction: "sideways"}); err == nil {
		t.Error("CreateSweep accepted an unknown direction")
	}
	if _, err := r.GetSweep(ctx, sid+100); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetSweep of an unknown id: %v", err)
	}

	var trials []int64
	for n := range 3 {
		id, err := r.AddTrial(ctx, sid, n, RunInfo{Name: "lr", ConfigJSON: []byte(fmt.Sprintf(`{"n":%d}`, n))})
		must(t, err)
		trials = append(trials, id)
	}
	if _, err := r.AddTrial(ctx, sid, 1, RunInfo{Name: "lr"}); err == nil {
		t.Error("AddTrial accepted a duplicate trial number")
	}
	id, ok, err := r.ClaimTrial(ctx, sid, 1, "host-a")
	must(t, err)
	if !ok || id != trials[1] {
		t.Fatalf("first claim: %d %v, want %d true", id, ok, trials[1])
	}
	if _, ok, err := r.ClaimTrial(ctx, sid, 1, "host-b"); err != nil || ok {
		t.Errorf("second claim: %v %v, want false nil", ok, err)
	}
	if _, ok, err := r.ClaimTrial(ctx, sid, 9, "host-b"); err != nil || ok {
		t.Errorf("claim of an unknown trial: %v %v, want false nil", ok, err)
	}
	must(t, r.AddMetrics(ctx, trials[1], map[string]float64{"loss": 0.3}))
	must(t, r.FinishRun(ctx, trials[1], StatusComplete, ""))
	must(t, r.FinishRun(ctx, trials[2], StatusPruned, "pruned before start"))
	must(t, r.SetSweepStatus(ctx, sid, SweepComplete))

	runs, err := r.SweepTrials(ctx, sid)
	must(t, err)
	var summary []string
	for _, run := range runs {
		summary = append(summary, fmt.Sprintf("%d:%s:%s:%s", run.TrialNumber, run.Kind, run.Status, run.Host))
	}
	want := []string{"0:trial:pending:", "1:trial:complete:host-a", "2:trial:pruned:"}
	if !slices.Equal(summary, want) {
		t.Errorf("SweepTrials: %v, want %v", summary, want)
	}
	if runs[0].ConfigHash == "" || runs[0].StartedAt != (time.Time{}) {
		t.Errorf("pending trial: %+v", runs[0])
	}
	s, err := r.GetSweep(ctx, sid)
	must(t, err)
	best, err := r.Best(ctx, Filter{SweepID: sid}, s.Objective, s.Direction == Maximize)
	must(t, err)
	if s.Status != SweepComplete || best.ID != trials[1] {
		t.Errorf("sweep status %s, best %d", s.Status, best.ID)
	}
}

func testPromotions(t *testing.T, dsn string) {
	ctx := context.Background()
	clock := newFakeClock()
	r := openT(t, dsn, WithClock(clock.now))
	run, err := r.StartRun(ctx, RunInfo{Name: "retrain", Kind: KindRetrain})
	must(t, err)
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	records := []Promotion{
		{ModelDir: "models/sea", RunID: run, Action: ActionPromote, Reason: "auc +0.02", At: at},
		{ModelDir: "models/sea", Action: ActionRollback, Reason: "alert storm"},
		{ModelDir: "models/other", RunID: run, Action: ActionKeep},
	}
	for i := range records {
		clock.advance(time.Second)
		id, err := r.RecordPromotion(ctx, records[i])
		must(t, err)
		records[i].ID = id
		if records[i].At.IsZero() {
			records[i].At = clock.now()
		}
	}
	if _, err := r.RecordPromotion(ctx, Promotion{ModelDir: "m", Action: "delete"}); err == nil {
		t.Error("RecordPromotion accepted an unknown action")
	}
	got, err := r.Promotions(ctx, "models/sea")
	must(t, err)
	if !reflect.DeepEqual(got, records[:2]) {
		t.Errorf("Promotions:\n got %+v\nwant %+v", got, records[:2])
	}
	if got, err := r.Promotions(ctx, "models/none"); err != nil || len(got) != 0 {
		t.Errorf("Promotions of an unknown dir: %v %v", got, err)
	}
}

func testReapStale(t *testing.T, dsn string) {
	ctx := context.Background()
	clock := newFakeClock()
	r := openT(t, dsn, WithClock(clock.now))
	stale, err := r.StartRun(ctx, RunInfo{Name: "stale"})
	must(t, err)
	lastBeat := clock.now()
	done, err := r.StartRun(ctx, RunInfo{Name: "done"})
	must(t, err)
	must(t, r.FinishRun(ctx, done, StatusComplete, ""))
	sweep, err := r.CreateSweep(ctx, SweepInfo{Name: "s"})
	must(t, err)
	pending, err := r.AddTrial(ctx, sweep, 0, RunInfo{Name: "s"})
	must(t, err)

	clock.advance(20 * time.Minute)
	alive, err := r.StartRun(ctx, RunInfo{Name: "alive"})
	must(t, err)
	clock.advance(5 * time.Minute)
	must(t, r.Heartbeat(ctx, alive))

	reaped, err := r.ReapStale(ctx, 10*time.Minute)
	must(t, err)
	if !slices.Equal(reaped, []int64{stale}) {
		t.Fatalf("ReapStale: %v, want [%d]", reaped, stale)
	}
	run, err := r.GetRun(ctx, stale)
	must(t, err)
	wantErr := "no heartbeat since " + formatTime(lastBeat)
	if run.Status != StatusFailed || run.Error != wantErr || !run.EndedAt.Equal(clock.now()) {
		t.Errorf("reaped run: status %s, error %q (want %q), ended %v", run.Status, run.Error, wantErr, run.EndedAt)
	}
	if err := r.Heartbeat(ctx, stale); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Heartbeat of a reaped run: %v", err)
	}
	for _, id := range []int64{done, pending, alive} {
		run, err := r.GetRun(ctx, id)
		must(t, err)
		if run.Status == StatusFailed {
			t.Errorf("run %d (%s) reaped", id, run.Name)
		}
	}
	if again, err := r.ReapStale(ctx, 10*time.Minute); err != nil || len(again) != 0 {
		t.Errorf("second ReapStale: %v %v", again, err)
	}
}

// testConcurrentWriters runs workers, each with its own Registry (its
// own connections), that record runs and race to claim the same trials.
func testConcurrentWriters(t *testing.T, dsn string) {
	const (
		workers   = 8
		runsEach  = 50
		numTrials = 40
	)
	ctx := context.Background()
	setup := openT(t, dsn)
	sweep, err := setup.CreateSweep(ctx, SweepInfo{Name: "race"})
	must(t, err)
	for n := range numTrials {
		_, err := setup.AddTrial(ctx, sweep, n, RunInfo{Name: "race"})
		must(t, err)
	}

	var (
		mu     sync.Mutex
		claims = map[int][]int{} // trial number → workers that claimed it
		errs   []error
		wg     sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	}
	regs := make([]*Registry, workers)
	for w := range workers {
		regs[w] = openT(t, dsn)
	}
	for w, r := range regs {
		wg.Go(func() {
			for i := range runsEach {
				id, err := r.StartRun(ctx, RunInfo{Name: fmt.Sprintf("w%d", w)})
				if err != nil {
					fail(err)
					return
				}
				if err := r.FinishRun(ctx, id, StatusComplete, ""); err != nil {
					fail(err)
					return
				}
				// Interleave claims with runs, each worker from its own offset.
				if i < numTrials {
					n := (i + w*numTrials/workers) % numTrials
					_, ok, err := r.ClaimTrial(ctx, sweep, n, fmt.Sprintf("w%d", w))
					if err != nil {
						fail(err)
						return
					}
					if ok {
						mu.Lock()
						claims[n] = append(claims[n], w)
						mu.Unlock()
					}
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	for n := range numTrials {
		if len(claims[n]) != 1 {
			t.Errorf("trial %d claimed by workers %v, want exactly one", n, claims[n])
		}
	}
	runs, err := setup.ListRuns(ctx, Filter{Kind: KindRun, Status: StatusComplete})
	must(t, err)
	if len(runs) != workers*runsEach {
		t.Errorf("%d complete runs, want %d", len(runs), workers*runsEach)
	}
	trials, err := setup.ListRuns(ctx, Filter{SweepID: sweep, Status: StatusRunning})
	must(t, err)
	if len(trials) != numTrials {
		t.Errorf("%d running trials, want %d", len(trials), numTrials)
	}
}
