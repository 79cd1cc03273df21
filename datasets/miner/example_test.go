package miner_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/vigil-ml/vigil/datasets/miner"
)

// Generate a labelled dataset, write it as JSON lines, stream it back
// into 10-minute window features and split the rows into folds by
// program.
func Example() {
	d, err := miner.Generate(miner.Config{Programs: 30, MinerFraction: 0.1, Duration: 30 * time.Minute, SampleInterval: 30 * time.Second}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	var stream bytes.Buffer
	if _, err := d.WriteEvents(&stream); err != nil {
		fmt.Println(err)
		return
	}
	var rows []miner.FeatureRow
	w, err := miner.NewWindower(miner.WindowConfig{Length: 10 * time.Minute}, func(r miner.FeatureRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := miner.ReadEvents(&stream, w.Add); err != nil {
		fmt.Println(err)
		return
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}
	folds, err := miner.GroupFolds(rows, 3, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fold := map[string]int{}
	leaks := 0
	for i, r := range rows {
		if f, ok := fold[r.Program]; ok && f != folds[i] {
			leaks++
		}
		fold[r.Program] = folds[i]
	}
	miners := 0
	for _, p := range d.Programs {
		if p.Miner {
			miners++
		}
	}
	fmt.Printf("%d programs, %d miners, %d features per row, %d programs in two folds\n",
		len(d.Programs), miners, len(miner.FeatureNames()), leaks)
	// Output:
	// 30 programs, 3 miners, 24 features per row, 0 programs in two folds
}

// Read a hand-written stream of a disguised miner and compute its window
// features.
func ExampleReadEvents() {
	stream := `{"t":1700000040000000000,"pid":42,"k":"start","name":"kworker","exe":"/tmp/.x/kworker","ppid":1,"prog":"xmrig","miner":true}
{"t":1700000040100000000,"pid":42,"k":"open","path":"/usr/lib/libuv.so.1","ft":"lib"}
{"t":1700000041000000000,"pid":42,"k":"dns","q":"pool.supportxmr.com"}
{"t":1700000041500000000,"pid":42,"k":"conn","ip":"203.0.113.7","port":3333,"lport":40512,"tx":250,"rx":900}
{"t":1700000050000000000,"pid":42,"k":"cpu","v":396.5}
{"t":1700000060000000000,"pid":42,"k":"cpu","v":398.1}
{"t":1700000060000000000,"pid":42,"k":"sys","sc":"futex","n":250}
`
	var events []miner.Event
	err := miner.ReadEvents(strings.NewReader(stream), func(e miner.Event) error {
		events = append(events, e)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rows := miner.Windows(events, miner.WindowConfig{})
	r := rows[0]
	fmt.Println(len(rows), "row:", r.Program, r.Name, r.Miner)
	for _, f := range []miner.Feature{miner.FeatCPUMean, miner.FeatMiningPortShare, miner.FeatDNSPoolMatch,
		miner.FeatCryptoLib, miner.FeatSysIPC, miner.FeatBytesIn} {
		fmt.Printf("%s=%.1f\n", f, r.Get(f))
	}
	// Output:
	// 1 row: xmrig kworker true
	// cpu_mean=397.3
	// net_mining_port_share=1.0
	// dns_pool_match=1.0
	// crypto_lib=1.0
	// sys_ipc=250.0
	// net_bytes_in=900.0
}
