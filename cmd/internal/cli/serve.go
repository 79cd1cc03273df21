package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-ml/vigil/experiments"
	"github.com/vigil-ml/vigil/models/ipinsights"
	"github.com/vigil-ml/vigil/serve"
)

// DefaultServeAddr is where vigil serve listens unless told otherwise
// (--addr, or VIGIL_SERVE_ADDR, which the container image sets to
// 0.0.0.0:8080 as SageMaker expects): localhost only.
const DefaultServeAddr = "127.0.0.1:8080"

// Environment defaults of vigil serve, for containers.
const (
	envServeAddr = "VIGIL_SERVE_ADDR"
	envModelDir  = "VIGIL_MODEL_DIR" // the model directory when none is named (SageMaker: /opt/ml/model)
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newServeCmd() *cobra.Command {
	var addr string
	var watch, timeout time.Duration
	var maxBody int64
	cmd := &cobra.Command{
		Use:   "serve [RUN_DIR]",
		Short: "Serve a trained IP Insights model over SageMaker's inference HTTP contract",
		Long: `Load the newest model in RUN_DIR (what vigil run --out wrote, or a model
directory inside it, RUN_DIR/models/<unit>) and answer SageMaker's inference
contract: GET /ping, POST /invocations (text/csv, application/json,
application/jsonlines; Accept: application/json; verbose=True adds the
embeddings) and GET /metrics (Prometheus). When a newer model is promoted into
the model directory the server swaps to it without dropping requests; SIGTERM
finishes the requests in flight. Only the ipinsights family scores
(entity, IPv4) records; other families are evaluated with vigil eval.
Without RUN_DIR the model directory is $VIGIL_MODEL_DIR.`,
		Example: `  vigil serve runs/ipinsights_quickstart
  curl -s localhost:8080/ping
  curl -s -H 'Content-Type: text/csv' --data-binary $'user_1,10.1.2.3\n' localhost:8080/invocations`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			log := newLogger()
			where := os.Getenv(envModelDir)
			if len(args) == 1 {
				where = args[0]
			}
			if where == "" {
				return fmt.Errorf("serve: name a run or model directory (or set %s)", envModelDir)
			}
			dir, err := experiments.ModelDir(where)
			if err != nil {
				return err
			}
			load := func() (serve.Model, error) { return openServed(dir) }
			if _, err := load(); err != nil { // fail at start, not at the first ping
				return err
			}
			srv, err := serve.New(load, serve.Config{MaxBodyBytes: maxBody, Timeout: timeout, Logger: log})
			if err != nil {
				return err
			}
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			watched := make(chan error, 1)
			go func() { watched <- srv.Watch(ctx, dir, watch) }()
			log.Info("serving", "model", dir, "addr", addr)
			err = srv.Run(cmd.Context(), addr)
			cancel()
			if werr := <-watched; err == nil {
				err = werr
			}
			return err
		},
	}
	cmd.Flags().StringVar(&addr, "addr", envOr(envServeAddr, DefaultServeAddr), "listen address HOST:PORT (default $"+envServeAddr+" or "+DefaultServeAddr+")")
	cmd.Flags().DurationVar(&watch, "watch", 10*time.Second, "how often to check the model directory for a newer model")
	cmd.Flags().DurationVar(&timeout, "timeout", serve.DefaultTimeout, "deadline of one /invocations request")
	cmd.Flags().Int64Var(&maxBody, "max-body", serve.DefaultMaxBodyBytes, "largest request body in bytes (larger: 413)")
	return cmd
}

// openServed loads the newest model of dir as a serve.Model.
func openServed(dir string) (serve.Model, error) {
	sm, err := experiments.OpenModel(dir)
	if err != nil {
		return nil, err
	}
	m, ok := sm.Model.(*ipinsights.Model)
	if !ok {
		return nil, fmt.Errorf("%s: model family %s scores no (entity, IPv4) records; vigil serve and vigil score take ipinsights models", dir, sm.Config.Kind)
	}
	return m.Served(sm.Unit + "/" + filepath.Base(sm.Checkpoint)), nil
}
