package logins

// Metrics is metrics.json of a logins run.
type Metrics struct {
	Config     string      `json:"config"`
	Date       string      `json:"date"`
	Machine    string      `json:"machine"`
	Commit     string      `json:"commit,omitempty"`
	Seconds    float64     `json:"seconds"`
	Parameters int         `json:"parameters"`
	Data       DataSummary `json:"data"`
	// DiscriminatorAUC is SageMaker's validation:discriminator_auc: the
	// model's AUC separating the held-out validation pairs from the same
	// entities with uniformly random addresses.
	DiscriminatorAUC float64 `json:"discriminator_auc"`
	// Attacks is the result of every attack rate.
	Attacks []AttackResult `json:"attacks"`
}

// DataSummary counts what the run read, trained and tested on.
type DataSummary struct {
	Kind    string `json:"kind"`
	Records int    `json:"records"` // records read (lines, CSV rows)
	Events  int    `json:"events"`  // login events kept
	// Ignored are well-formed records that are no logins.
	Ignored int `json:"ignored_records"`
	// Skipped are bad records skipped (data.lenient), by reason.
	Skipped map[string]int `json:"skipped_records,omitempty"`
	// NotAccepted are failed sshd logins left out (data.sshd.accepted_only).
	NotAccepted int `json:"not_accepted,omitempty"`
	// Sampled is the events kept by data.max_events (0: all).
	Sampled  int `json:"sampled,omitempty"`
	Entities int `json:"entities"`
	// Split is "time" (before Boundary trains) or "order" (the first
	// data.train_fraction of the events).
	Split    string `json:"split"`
	Boundary string `json:"boundary,omitempty"`
	Train    int    `json:"train_events"`
	// Validation events are held out of the training period.
	Validation    int `json:"validation_events"`
	TrainEntities int `json:"train_entities"`
	Test          int `json:"test_events"`
	TestEntities  int `json:"test_entities"`
	// UnknownDropped are test events of entities not trained on, dropped
	// (eval.known_entities_only).
	UnknownDropped int `json:"unknown_entity_test_events"`
	// Networks is the attack network table's size, ObservedNetworks of
	// them from the data (all for synthetic data).
	Networks         int    `json:"attack_networks"`
	ObservedNetworks int    `json:"observed_networks"`
	Note             string `json:"note"`
}

// AttackResult is one attack rate's test set and every system on it.
type AttackResult struct {
	Set    string  `json:"set"`
	Rate   float64 `json:"attack_rate"`
	Events int     `json:"events"`
	Attack int     `json:"attack_events"`
	Normal int     `json:"normal_events"`
	// Redrawn are attacks first drawn in a network their entity used in
	// training (but not in the test events) and moved to one it never used.
	Redrawn int `json:"attacks_redrawn"`
	// Note says why there are no systems (no attacks or no normal events).
	Note    string         `json:"note,omitempty"`
	Systems []SystemResult `json:"systems,omitempty"`
}

// SystemResult is one detector's result on a test set.
type SystemResult struct {
	ID          string      `json:"id"` // model, ip_table, subnet_table
	Name        string      `json:"name"`
	AUC         float64     `json:"auc"`
	AtDetection []Operating `json:"at_detection"`
}

// Operating is the false-positive rate at a detection rate: the threshold
// is the score of the ceil(tpr·attacks)-th most anomalous attack, and an
// event scoring at least it alarms.
type Operating struct {
	TPR       float64 `json:"tpr"`
	FPR       float64 `json:"fpr"`
	Threshold float64 `json:"threshold"`
}
