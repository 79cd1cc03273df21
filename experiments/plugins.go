package experiments

import (
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/experiments/tasks/cert"
	"github.com/vigil-ml/vigil/experiments/tasks/logins"
	"github.com/vigil-ml/vigil/experiments/tasks/masquerade"
	"github.com/vigil-ml/vigil/experiments/tasks/miner"
	"github.com/vigil-ml/vigil/experiments/tasks/syscalls"
	"github.com/vigil-ml/vigil/graph"
	"github.com/vigil-ml/vigil/models"
	"github.com/vigil-ml/vigil/models/convvae"
	"github.com/vigil-ml/vigil/models/ipinsights"
	"github.com/vigil-ml/vigil/models/linear"
	"github.com/vigil-ml/vigil/models/lstm"
	"github.com/vigil-ml/vigil/models/vaegan"
)

// The registrations: every task and model family a config can name. A new
// family is one package under models/ and one line here.

func taskList() []tasks.Task {
	return []tasks.Task{cert.New(), logins.Task{}, masquerade.Task{}, miner.New(), syscalls.Task{}}
}

func familyList() []models.Family {
	return []models.Family{convvae.Family{}, ipinsights.Family{}, linear.Family{}, lstm.Family{}, vaegan.Family{}}
}

// plugins are the registered tasks and families.
type plugins struct {
	tasks  *tasks.Registry
	models *models.Registry
}

func newPlugins() (*plugins, error) {
	t, err := tasks.NewRegistry(taskList()...)
	if err != nil {
		return nil, err
	}
	m, err := models.NewRegistry(familyList()...)
	if err != nil {
		return nil, err
	}
	return &plugins{tasks: t, models: m}, nil
}

// Probes are the self-test probes of every registered family: a GPU is
// trusted only once each of them trains on it as on the CPU.
func Probes() []graph.Probe {
	var out []graph.Probe
	for _, f := range familyList() {
		out = append(out, f.Probe())
	}
	return out
}
