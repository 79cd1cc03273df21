package masquerade

import "github.com/vigil-ml/vigil/experiments/tasks"

// Profile describes the users' clean training commands ("command").
func (d *data) Profile() tasks.Profile {
	var cmds []string
	for _, u := range d.sea.Users {
		cmds = append(cmds, u.Train...)
	}
	return tasks.Profile{Categorical: map[string][]string{"command": cmds}}
}
