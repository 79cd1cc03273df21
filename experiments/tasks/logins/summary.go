package logins

import (
	"fmt"
	"slices"
	"strings"
)

// summary is a short plain-text table of the results.
func summary(m *Metrics) string {
	var b strings.Builder
	d := m.Data
	fmt.Fprintf(&b, "%s: %s, %d events of %d entities; %d training / %d validation / %d test events, %d parameters, %.0fs\n",
		m.Config, d.Kind, d.Events, d.Entities, d.Train, d.Validation, d.Test, m.Parameters, m.Seconds)
	if n := sum(d.Skipped); n > 0 {
		fmt.Fprintf(&b, "skipped %d bad records: %s\n", n, reasons(d.Skipped))
	}
	fmt.Fprintf(&b, "discriminator AUC (validation pairs against random addresses): %.4f\n", m.DiscriminatorAUC)
	for _, a := range m.Attacks {
		fmt.Fprintf(&b, "%s: %d attacks among %d events\n", a.Set, a.Attack, a.Events)
		if a.Note != "" {
			fmt.Fprintf(&b, "  %s\n", a.Note)
			continue
		}
		fmt.Fprintf(&b, "  %-22s %7s", "", "AUC")
		for _, op := range a.Systems[0].AtDetection {
			fmt.Fprintf(&b, "  FPR@TPR%-5s", fmt.Sprintf("%g%%", 100*op.TPR))
		}
		fmt.Fprintln(&b)
		for _, s := range a.Systems {
			fmt.Fprintf(&b, "  %-22s %7.4f", s.Name, s.AUC)
			for _, op := range s.AtDetection {
				fmt.Fprintf(&b, "  %11.2f%%", 100*op.FPR)
			}
			fmt.Fprintln(&b)
		}
	}
	return b.String()
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// reasons lists counts by reason, in reason order.
func reasons(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
