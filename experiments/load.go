package experiments

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
	"github.com/vigil-ml/vigil/experiments/tasks"
	"github.com/vigil-ml/vigil/models"
	"go.yaml.in/yaml/v3"
)

// EnvPrefix prefixes environment overrides: VIGIL_TRAIN_EPOCHS=3 sets train.epochs.
const EnvPrefix = "VIGIL"

// Load reads a YAML config file, applies VIGIL_* environment overrides and
// then the key=value overrides in sets (later wins), and validates the result.
// Unknown keys in the file or in sets are errors.
func Load(path string, sets []string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := Parse(data, sets)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", filepath.Base(path), err)
	}
	return cfg, nil
}

// Parse is Load for YAML bytes.
func Parse(yamlData []byte, sets []string) (Config, error) { return parse(yamlData, sets, true) }

// parse reads a config in two passes: the first finds the task and the
// model kind (from sets, the environment when env is set, the YAML or the
// defaults), which decide the known keys and their defaults; the second
// reads every key strictly.
func parse(yamlData []byte, sets []string, env bool) (Config, error) {
	reg, err := newPlugins()
	if err != nil {
		return Config{}, err
	}
	first := viper.New()
	first.SetConfigType("yaml")
	if env {
		bindEnv(first)
	}
	if err := first.ReadConfig(bytes.NewReader(yamlData)); err != nil {
		return Config{}, fmt.Errorf("parse YAML: %w", err)
	}
	taskName := pick(first, sets, "task", DefaultTask)
	task, err := reg.tasks.Lookup(taskName)
	if err != nil {
		return Config{}, err
	}
	kind := pick(first, sets, "model.kind", task.DefaultKind())
	family, err := reg.family(task, kind)
	if err != nil {
		return Config{}, err
	}
	sections := task.Sections()
	for _, k := range []string{"version", "name", "seed", "device", "executor", "task", "train", "model"} {
		if _, clash := sections[k]; clash {
			return Config{}, fmt.Errorf("task %s: section %q clashes with a key of the experiment", taskName, k)
		}
	}
	defaults, err := defaultTree(base(), sections, family)
	if err != nil {
		return Config{}, err
	}
	if err := familyTrainDefaults(defaults, family); err != nil {
		return Config{}, err
	}
	v := viper.New()
	v.SetConfigType("yaml")
	keys := map[string]bool{}
	walkLeaves("", defaults, func(key string, val any) {
		keys[key] = true
		v.SetDefault(key, val)
	})
	if env {
		bindEnv(v)
	}
	if err := v.ReadConfig(bytes.NewReader(yamlData)); err != nil {
		return Config{}, fmt.Errorf("parse YAML: %w", err)
	}
	for _, s := range sets {
		key, val, ok := strings.Cut(s, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		if !ok || key == "" {
			return Config{}, fmt.Errorf("--set %q: want key=value", s)
		}
		if !keys[key] {
			return Config{}, fmt.Errorf("--set %q: unknown key %q (known: %s)", s, key, knownKeys(keys, key))
		}
		var parsed any
		if err := yaml.Unmarshal([]byte(val), &parsed); err != nil || parsed == nil {
			parsed = val
		}
		v.Set(key, parsed)
	}
	cfg, err := decode(v.AllSettings(), sections, family)
	if err != nil {
		return Config{}, err
	}
	if cfg.Version != Version {
		return Config{}, fmt.Errorf("version %d is not supported (this build reads version %d)", cfg.Version, Version)
	}
	cfg.Kind = kind
	if err := cfg.validate(reg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func bindEnv(v *viper.Viper) {
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
}

// pick returns key's value from the last key=value of sets, else v, else def.
func pick(v *viper.Viper, sets []string, key, def string) string {
	val := ""
	for _, s := range sets {
		if k, x, ok := strings.Cut(s, "="); ok && strings.ToLower(strings.TrimSpace(k)) == key {
			val = strings.TrimSpace(x)
		}
	}
	if val == "" {
		val = v.GetString(key)
	}
	if val == "" {
		return def
	}
	return val
}

// defaultTree is every key's default as a nested map: the experiment's
// keys, the task's sections and, with a family, model: with its kind.
func defaultTree(cfg Config, sections map[string]any, family models.Family) (map[string]any, error) {
	tree, err := toMap(cfg)
	if err != nil {
		return nil, err
	}
	for k, s := range sections {
		if tree[k], err = toMap(s); err != nil {
			return nil, err
		}
	}
	if family == nil {
		return tree, nil
	}
	m, err := toMap(family.Defaults())
	if err != nil {
		return nil, err
	}
	m["kind"] = family.Kind()
	tree["model"] = m
	return tree, nil
}

// familyTrainDefaults replaces the train: defaults that a family sets
// (models.TrainDefaulter); a key train: does not have is an error.
func familyTrainDefaults(tree map[string]any, f models.Family) error {
	if f == nil {
		return nil
	}
	td, ok := f.(models.TrainDefaulter)
	if !ok {
		return nil
	}
	train, _ := tree["train"].(map[string]any)
	for k, v := range td.TrainDefaults() {
		if _, known := train[k]; !known {
			return fmt.Errorf("model family %s: train default for unknown key train.%s", f.Kind(), k)
		}
		train[k] = v
	}
	return nil
}

// toMap is v as JSON, as a map.
func toMap(v any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// walkLeaves calls f with every leaf key (dotted) of tree.
func walkLeaves(prefix string, tree map[string]any, f func(key string, val any)) {
	for k, val := range tree {
		if sub, ok := val.(map[string]any); ok {
			walkLeaves(prefix+k+".", sub, f)
			continue
		}
		f(prefix+k, val)
	}
}

// decode fills a Config from viper's merged settings: the experiment's keys
// into the Config, each task section into a new struct of its type and
// model: (without kind) into a new struct of the family's (nil: a task
// without a model section). Every key must be known.
func decode(all map[string]any, sections map[string]any, family models.Family) (Config, error) {
	own := map[string]any{}
	cfg := Config{Sections: map[string]any{}}
	for k, val := range all {
		switch {
		case k == "model" && family != nil:
			m, _ := val.(map[string]any)
			rest := map[string]any{}
			for mk, mv := range m {
				if mk != "kind" {
					rest[mk] = mv
				}
			}
			dst := newLike(family.Defaults())
			if err := strictDecode(rest, dst); err != nil {
				return Config{}, fmt.Errorf("model: %w", err)
			}
			cfg.Model = dst
		case sections[k] != nil:
			dst := newLike(sections[k])
			if err := strictDecode(val, dst); err != nil {
				return Config{}, fmt.Errorf("%s: %w", k, err)
			}
			cfg.Sections[k] = dst
		default:
			own[k] = val
		}
	}
	if err := strictDecode(own, &cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// newLike returns a pointer to a new zero value of the struct p points to.
func newLike(p any) any { return reflect.New(reflect.TypeOf(p).Elem()).Interface() }

// strictDecode decodes src into dst; unknown keys are errors.
func strictDecode(src, dst any) error {
	d, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result: dst, ErrorUnused: true, ZeroFields: true, WeaklyTypedInput: true, TagName: "mapstructure",
		DecodeHook: mapstructure.ComposeDecodeHookFunc(mapstructure.StringToTimeDurationHookFunc(), mapstructure.StringToSliceHookFunc(",")),
	})
	if err != nil {
		return err
	}
	return d.Decode(src)
}

// knownKeys lists the keys sharing the section of key, for error messages.
func knownKeys(keys map[string]bool, key string) string {
	section, _, _ := strings.Cut(key, ".")
	var out []string
	for k := range keys {
		if strings.HasPrefix(k, section+".") || !strings.Contains(key, ".") && !strings.Contains(k, ".") {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		sections := map[string]bool{}
		for k := range keys {
			if s, _, ok := strings.Cut(k, "."); ok {
				sections[s+".*"] = true
			} else {
				out = append(out, k)
			}
		}
		for s := range sections {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// family is the model family a config of task names: kind's, or none for
// a task that fits its own models (DefaultKind ""), which must not name one.
func (p *plugins) family(task tasks.Task, kind string) (models.Family, error) {
	if task.DefaultKind() == "" {
		if kind != "" {
			return nil, fmt.Errorf("model.kind: task %s fits its own models and has no model: section (its pipelines are set in its own sections)", task.Name())
		}
		return nil, nil
	}
	return p.models.Lookup(kind)
}
