package cert_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/vigil-ml/vigil/datasets/cert"
)

// Generate a small synthetic release, count its web visits by streaming
// http.csv, and compute the per-user features of the seed subset.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "cert")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	rep, err := cert.Generate(dir, cert.GenConfig{Users: 20, Days: 60}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	visits := 0
	_, err = cert.ReadEvents(filepath.Join(dir, "http.csv"), cert.KindHTTP, nil, func(ev cert.Event) error {
		visits++
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, err := cert.Features(dir, cert.FeatureConfig{Ops: cert.SeedOps()})
	if err != nil {
		fmt.Println(err)
		return
	}
	insiders := 0
	for _, r := range rows {
		if r.Insider {
			insiders++
		}
	}
	fmt.Println(visits == rep.Rows[cert.KindHTTP], len(rows), len(rows[0].Values), insiders)
	// Output: true 20 96 3
}

func ExampleFeatureNames() {
	names := cert.FeatureNames(nil)
	fmt.Println(len(names), names[0], names[4], names[len(names)-1])
	// Output: 168 weekday.logon.count.mean weekday.logon.start.max weekend.http_visit.duration.min
}
