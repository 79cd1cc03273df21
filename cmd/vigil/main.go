// Command vigil trains, evaluates and reports behavioural anomaly-detection
// models from declarative experiment configs. It is pure Go and runs
// anywhere; see cmd/vigil-cuda for the GPU build.
package main

import (
	"os"

	"github.com/vigil-ml/vigil/cmd/internal/cli"
)

func main() { os.Exit(cli.Main()) }
