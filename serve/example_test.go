package serve_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/vigil-ml/vigil/serve"
)

// known is a toy model: a high dot product for the pairs it knows.
type known map[serve.Record]bool

func (k known) Version() string { return "toy-1" }

func (k known) Score(recs []serve.Record) ([]serve.Prediction, error) {
	out := make([]serve.Prediction, len(recs))
	for i, r := range recs {
		if k[r] {
			out[i].DotProduct = 1
		}
	}
	return out, nil
}

func Example() {
	var m serve.Model = known{}
	srv, err := serve.New(func() (serve.Model, error) { return m, nil }, serve.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.Reload(); err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	resp, err := http.Post(ts.URL+"/invocations", "text/csv", strings.NewReader("alice,10.0.0.1\nbob,10.0.0.300\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(resp.StatusCode, " ", string(body))
	// Output: 400 record 1: "10.0.0.300" is not an IPv4 address
}

// A SageMaker-style container: load the model, reload when the model
// directory changes, and drain on SIGTERM.
func ExampleServer_Run() {
	dir := "/opt/ml/model"
	load := func() (serve.Model, error) {
		// Read the model's files under dir here.
		return known{}, nil
	}
	srv, err := serve.New(load, serve.Config{
		Timeout:       10 * time.Second,
		ShutdownGrace: 20 * time.Second,
		Logger:        slog.New(slog.NewJSONHandler(os.Stderr, nil)),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	// Watch loads the model first; /ping answers 503 until it succeeds.
	go func() { _ = srv.Watch(ctx, dir, 5*time.Second) }()
	if err := srv.Run(ctx, ":8080"); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}
