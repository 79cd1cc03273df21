package pushgateway_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/vigil-ml/vigil/eval/pushgateway"
)

// Example pushes the results of a retraining run to a stand-in Pushgateway
// that prints what it receives.
func Example() {
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Printf("%s %s\n%s", r.Method, r.URL.EscapedPath(), body)
	}))
	defer gateway.Close()

	metrics := []pushgateway.Metric{
		{Name: "vigil_retrain_auc", Help: "Validation ROC AUC.", Labels: map[string]string{"model": "convvae"}, Value: 0.962},
		{Name: "vigil_retrain_auc", Help: "Validation ROC AUC.", Labels: map[string]string{"model": "baseline"}, Value: 0.871},
		{Name: "vigil_retrain_epochs_total", Help: "Epochs trained.", Type: pushgateway.TypeCounter, Value: 40},
	}
	grouping := map[string]string{"dataset": "lid-ds/2019"}
	if err := pushgateway.Push(context.Background(), gateway.URL, "nightly_retrain", grouping, metrics); err != nil {
		fmt.Println("push:", err)
	}
	// Output:
	// PUT /metrics/job/nightly_retrain/dataset@base64/bGlkLWRzLzIwMTk
	// # HELP vigil_retrain_auc Validation ROC AUC.
	// # TYPE vigil_retrain_auc gauge
	// vigil_retrain_auc{model="convvae"} 0.962
	// vigil_retrain_auc{model="baseline"} 0.871
	// # HELP vigil_retrain_epochs_total Epochs trained.
	// # TYPE vigil_retrain_epochs_total counter
	// vigil_retrain_epochs_total 40
}
