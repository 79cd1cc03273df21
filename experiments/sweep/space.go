package sweep

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Kind is the type of a parameter's domain.
type Kind int

// The kinds of parameter.
const (
	Choice Kind = iota + 1 // one of a list of values
	Int                    // a whole number in [Low, High]
	Float                  // a real number in [Low, High]
)

func (k Kind) String() string {
	switch k {
	case Choice:
		return "choice"
	case Int:
		return "int"
	case Float:
		return "float"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Condition holds when the parameter Key is active and its value is one of
// Values.
type Condition struct {
	Key    string
	Values []any
}

// Param is one searched config key and its domain.
type Param struct {
	// Key is the config key, as `--set` takes it ("train.lr").
	Key  string
	Kind Kind
	// Choices are the values of a Choice parameter: numbers, strings, bools
	// or lists of those; at least one, no duplicates.
	Choices []any
	// Low and High bound an Int or Float parameter, both included; whole
	// numbers for Int. Low == High is a constant.
	Low, High float64
	// Log samples uniformly in log space; it needs Low > 0 and excludes Step.
	Log bool
	// Step spaces an Int or Float parameter's values at Low + k·Step; High - Low
	// must be a multiple of it. Zero means continuous for Float and 1 for Int.
	Step float64
	// Grid is the number of evenly spaced values (log-spaced when Log, and
	// rounded to whole values for Int) the Grid sampler takes from a range.
	// Zero means every step value (Int, or Float with Step); a continuous
	// Float range needs it for Grid. Other samplers ignore it. It excludes an
	// explicit Step.
	Grid int
	// When lists conditions that must all hold for the parameter to exist in
	// a point; empty means always. Conditions may name Choice and Int keys.
	When []Condition
}

// Space is a validated set of parameters in sampling order: a key comes
// after every key its When names, otherwise keys go by name.
type Space struct {
	params []Param
	index  map[string]int
}

// NewSpace validates params and orders them. Errors name the offending key.
func NewSpace(params ...Param) (*Space, error) {
	byKey := make(map[string]*Param, len(params))
	var keys []string
	for i := range params {
		p, err := normalizeParam(params[i])
		if err != nil {
			return nil, err
		}
		if _, dup := byKey[p.Key]; dup {
			return nil, fmt.Errorf("space: %s: duplicate key", p.Key)
		}
		byKey[p.Key] = &p
		keys = append(keys, p.Key)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := checkConditions(byKey[k], byKey); err != nil {
			return nil, err
		}
	}
	order, err := topoOrder(keys, byKey)
	if err != nil {
		return nil, err
	}
	s := &Space{index: make(map[string]int, len(order))}
	for i, k := range order {
		s.params = append(s.params, *byKey[k])
		s.index[k] = i
	}
	return s, nil
}

// Params returns the parameters in sampling order.
func (s *Space) Params() []Param { return slices.Clone(s.params) }

// Len is the number of parameters.
func (s *Space) Len() int { return len(s.params) }

// Lookup returns key's parameter.
func (s *Space) Lookup(key string) (Param, bool) {
	i, ok := s.index[key]
	if !ok {
		return Param{}, false
	}
	return s.params[i], true
}

// active reports whether p's conditions hold for the values sampled so far.
func active(p *Param, values map[string]any) bool {
	for _, c := range p.When {
		v, ok := values[c.Key]
		if !ok || !slices.ContainsFunc(c.Values, func(w any) bool { return equalValues(v, w) }) {
			return false
		}
	}
	return true
}

// build makes a point by asking pick for the value of each active
// parameter, in order.
func (s *Space) build(pick func(p *Param) (any, error)) (Point, error) {
	values := make(map[string]any, len(s.params))
	pt := make(Point, 0, len(s.params))
	for i := range s.params {
		p := &s.params[i]
		if !active(p, values) {
			continue
		}
		v, err := pick(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Key, err)
		}
		values[p.Key] = v
		pt = append(pt, Setting{Key: p.Key, Value: v})
	}
	return pt, nil
}

// Canonical checks that pt is a point of s, exactly the active keys with
// values in their domains, and returns it in the space's order with
// canonical types (an Int value read from JSON as 3.0 becomes 3).
func (s *Space) Canonical(pt Point) (Point, error) {
	given := make(map[string]any, len(pt))
	for _, st := range pt {
		if _, ok := s.index[st.Key]; !ok {
			return nil, fmt.Errorf("point: %s: not in the space", st.Key)
		}
		if _, dup := given[st.Key]; dup {
			return nil, fmt.Errorf("point: %s: given twice", st.Key)
		}
		given[st.Key] = st.Value
	}
	out, err := s.build(func(p *Param) (any, error) {
		v, ok := given[p.Key]
		if !ok {
			return nil, fmt.Errorf("active but missing")
		}
		delete(given, p.Key)
		return p.canonicalValue(v)
	})
	if err != nil {
		return nil, fmt.Errorf("point: %w", err)
	}
	for _, p := range s.params {
		if _, ok := given[p.Key]; ok {
			return nil, fmt.Errorf("point: %s: given but inactive", p.Key)
		}
	}
	return out, nil
}

// canonicalValue returns v as a value of p's domain, or an error.
func (p *Param) canonicalValue(v any) (any, error) {
	c, err := canonical(v)
	if err != nil {
		return nil, err
	}
	if p.Kind == Choice {
		if i := p.choiceIndex(c); i >= 0 {
			return p.Choices[i], nil
		}
		return nil, fmt.Errorf("%s is not one of the choices", formatValue(c))
	}
	x, ok := number(c)
	if !ok || x < p.Low || x > p.High {
		return nil, fmt.Errorf("%s is not a number in [%v, %v]", formatValue(c), p.Low, p.High)
	}
	if p.Kind == Int {
		if x != math.Trunc(x) || math.Mod(x-p.Low, p.Step) != 0 {
			return nil, fmt.Errorf("%v is not Low + k·%v", x, p.Step)
		}
		return int(x), nil
	}
	return x, nil
}

// choiceIndex is the index of v among p.Choices, or -1.
func (p *Param) choiceIndex(v any) int {
	return slices.IndexFunc(p.Choices, func(c any) bool { return equalValues(c, v) })
}

// normalizeParam validates p alone and fills defaults (Int Step 1).
func normalizeParam(p Param) (Param, error) {
	fail := func(format string, a ...any) (Param, error) {
		return Param{}, fmt.Errorf("space: %s: "+format, append([]any{p.Key}, a...)...)
	}
	if p.Key == "" || strings.ContainsAny(p.Key, "= \t\n") {
		return fail("invalid key (empty, or has '=' or spaces)")
	}
	switch p.Kind {
	case Choice:
		if len(p.Choices) == 0 {
			return fail("empty choice")
		}
		if p.Log || p.Step != 0 || p.Grid != 0 || p.Low != 0 || p.High != 0 {
			return fail("log, step, grid and bounds apply to int and float ranges only")
		}
		choices := make([]any, len(p.Choices))
		for i, c := range p.Choices {
			v, err := canonical(c)
			if err != nil {
				return fail("choice %d: %w", i, err)
			}
			if slices.ContainsFunc(choices[:i], func(w any) bool { return equalValues(v, w) }) {
				return fail("duplicate choice %s", formatValue(v))
			}
			choices[i] = v
		}
		p.Choices = choices
	case Int, Float:
		if p.Choices != nil {
			return fail("choices apply to choice parameters only")
		}
		if math.IsNaN(p.Low) || math.IsNaN(p.High) || math.IsInf(p.Low, 0) || math.IsInf(p.High, 0) {
			return fail("non-finite bound")
		}
		if p.Low > p.High {
			return fail("empty range: low %v > high %v", p.Low, p.High)
		}
		if p.Step < 0 || math.IsNaN(p.Step) || math.IsInf(p.Step, 0) {
			return fail("step %v must be positive", p.Step)
		}
		if p.Log && p.Low <= 0 {
			return fail("log scale needs low > 0, have %v", p.Low)
		}
		explicitStep := p.Step != 0 && !(p.Kind == Int && p.Step == 1)
		if p.Log && explicitStep {
			return fail("log and step are exclusive")
		}
		if p.Grid < 0 || (p.Grid == 1 && p.Low != p.High) {
			return fail("grid %d: want at least 2 points", p.Grid)
		}
		if p.Grid > 0 && explicitStep {
			return fail("grid and step are exclusive")
		}
		if p.Kind == Int {
			if p.Low != math.Trunc(p.Low) || p.High != math.Trunc(p.High) ||
				math.Abs(p.Low) > 1<<53 || math.Abs(p.High) > 1<<53 {
				return fail("int range [%v, %v] needs whole bounds", p.Low, p.High)
			}
			if p.Step == 0 {
				p.Step = 1
			}
			if p.Step != math.Trunc(p.Step) || math.Mod(p.High-p.Low, p.Step) != 0 {
				return fail("step %v must be whole and divide high - low = %v", p.Step, p.High-p.Low)
			}
		} else if p.Step > 0 {
			n := (p.High - p.Low) / p.Step
			if math.Abs(n-math.Round(n)) > 1e-9*math.Max(1, n) {
				return fail("step %v does not divide high - low = %v", p.Step, p.High-p.Low)
			}
		}
	default:
		return fail("unknown kind %v", p.Kind)
	}
	when := make([]Condition, len(p.When))
	for i, c := range p.When {
		if len(c.Values) == 0 {
			return fail("when %s: no values", c.Key)
		}
		vals := make([]any, len(c.Values))
		for j, v := range c.Values {
			cv, err := canonical(v)
			if err != nil {
				return fail("when %s: value %d: %w", c.Key, j, err)
			}
			vals[j] = cv
		}
		when[i] = Condition{Key: c.Key, Values: vals}
	}
	slices.SortFunc(when, func(a, b Condition) int { return strings.Compare(a.Key, b.Key) })
	for i := 1; i < len(when); i++ {
		if when[i].Key == when[i-1].Key {
			return fail("when %s: given twice", when[i].Key)
		}
	}
	p.When = nil
	if len(when) > 0 {
		p.When = when
	}
	return p, nil
}

// checkConditions checks that p's conditions name other keys of the space
// and values those keys can take.
func checkConditions(p *Param, byKey map[string]*Param) error {
	for _, c := range p.When {
		if c.Key == p.Key {
			return fmt.Errorf("space: %s: when refers to the key itself", p.Key)
		}
		parent, ok := byKey[c.Key]
		if !ok {
			return fmt.Errorf("space: %s: when names unknown key %s", p.Key, c.Key)
		}
		if parent.Kind == Float {
			return fmt.Errorf("space: %s: when on float key %s (use a choice or int key)", p.Key, c.Key)
		}
		for _, v := range c.Values {
			if _, err := parent.canonicalValue(v); err != nil {
				return fmt.Errorf("space: %s: when %s: %s can never hold: %w", p.Key, c.Key, formatValue(v), err)
			}
		}
	}
	return nil
}

// topoOrder orders keys so that each comes after the keys its conditions
// name, choosing the smallest ready key first; a cycle is an error that
// names its keys.
func topoOrder(keys []string, byKey map[string]*Param) ([]string, error) {
	placed := make(map[string]bool, len(keys))
	order := make([]string, 0, len(keys))
	for len(order) < len(keys) {
		progress := false
		for _, k := range keys { // sorted: the smallest ready key goes first
			if placed[k] || !ready(byKey[k], placed) {
				continue
			}
			placed[k] = true
			order = append(order, k)
			progress = true
			break
		}
		if !progress {
			return nil, cycleError(keys, byKey, placed)
		}
	}
	return order, nil
}

func ready(p *Param, placed map[string]bool) bool {
	for _, c := range p.When {
		if !placed[c.Key] {
			return false
		}
	}
	return true
}

// cycleError names a cycle among the unplaced keys: each has an unplaced
// parent, so following first parents from the smallest must repeat a key.
func cycleError(keys []string, byKey map[string]*Param, placed map[string]bool) error {
	var path []string
	seen := map[string]int{}
	k := ""
	for _, key := range keys {
		if !placed[key] {
			k = key
			break
		}
	}
	for {
		if i, ok := seen[k]; ok {
			cycle := append(path[i:], k)
			return fmt.Errorf("space: %s: when conditions form a cycle: %s", k, strings.Join(cycle, " -> "))
		}
		seen[k] = len(path)
		path = append(path, k)
		for _, c := range byKey[k].When {
			if !placed[c.Key] {
				k = c.Key
				break
			}
		}
	}
}
