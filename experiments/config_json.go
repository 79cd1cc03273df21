package experiments

import "encoding/json"

// MarshalJSON writes the whole config as one object, as a YAML config
// would hold it: the experiment's keys, the task's sections and model:
// with its kind (none for a task that fits its own models). config.json is this, and Parse reads it back.
func (c Config) MarshalJSON() ([]byte, error) {
	type own Config // without this method
	tree, err := toMap(own(c))
	if err != nil {
		return nil, err
	}
	for k, s := range c.Sections {
		if tree[k], err = toMap(s); err != nil {
			return nil, err
		}
	}
	if c.Kind == "" { // a task that fits its own models
		delete(tree, "model")
		return json.Marshal(tree)
	}
	m := map[string]any{}
	if c.Model != nil {
		if m, err = toMap(c.Model); err != nil {
			return nil, err
		}
	}
	m["kind"] = c.Kind
	tree["model"] = m
	return json.Marshal(tree)
}
