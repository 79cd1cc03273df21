// Package configs embeds the shipped experiment configs.
package configs

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Default is the name of the embedded default config.
const Default = "quickstart"

// Read returns the embedded config with the given name (without .yaml).
func Read(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no embedded config %q (have: %s)", name, strings.Join(Names(), ", "))
	}
	return b, nil
}

// Names lists the embedded configs.
func Names() []string {
	entries, _ := fs.Glob(files, "*.yaml")
	for i, e := range entries {
		entries[i] = strings.TrimSuffix(e, ".yaml")
	}
	sort.Strings(entries)
	return entries
}
