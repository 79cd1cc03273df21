package experiments

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
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
func Parse(yamlData []byte, sets []string) (Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	keys, err := setDefaults(v)
	if err != nil {
		return Config{}, err
	}
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
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
	cfg := Config{}
	err = v.UnmarshalExact(&cfg, func(dc *mapstructure.DecoderConfig) { dc.ZeroFields = true })
	if err != nil {
		return Config{}, fmt.Errorf("%w", err)
	}
	if cfg.Version != Version {
		return Config{}, fmt.Errorf("version %d is not supported (this build reads version %d)", cfg.Version, Version)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// setDefaults registers every leaf key of Defaults() with viper, so env
// overrides reach every key, and returns the set of known keys.
func setDefaults(v *viper.Viper) (map[string]bool, error) {
	raw, err := json.Marshal(Defaults())
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, val := range m {
			key := prefix + k
			if sub, ok := val.(map[string]any); ok {
				walk(key+".", sub)
				continue
			}
			keys[key] = true
			v.SetDefault(key, val)
		}
	}
	walk("", tree)
	return keys, nil
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
		for k := range keys {
			if !strings.Contains(k, ".") {
				out = append(out, k)
			}
		}
		for _, s := range []string{"data", "embedding", "windows", "model", "train", "eval"} {
			out = append(out, s+".*")
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
