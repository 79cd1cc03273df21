package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"strings"
)

// responseFormat is what the Accept header asked for.
type responseFormat struct {
	jsonLines bool // one object per line instead of {"predictions": [...]}
	verbose   bool // include embeddings
}

// parseAccept reads Accept, e.g. "application/json; verbose=True". The
// first supported media type wins (q-values are ignored); anything else
// gets plain application/json.
func parseAccept(h string) responseFormat {
	for part := range strings.SplitSeq(h, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		verbose := strings.EqualFold(params["verbose"], "true")
		switch mt {
		case "application/json", "application/*", "*/*":
			return responseFormat{verbose: verbose}
		case "application/jsonlines", "application/jsonl", "application/x-jsonlines":
			return responseFormat{jsonLines: true, verbose: verbose}
		}
	}
	return responseFormat{}
}

// contentType is the response's media type.
func (f responseFormat) contentType() string {
	if f.jsonLines {
		return "application/jsonlines"
	}
	return "application/json"
}

// predictionJSON is one prediction on the wire.
type predictionJSON struct {
	DotProduct      float64   `json:"dot_product"`
	EntityEmbedding []float32 `json:"entity_embedding,omitempty"`
	IPEmbedding     []float32 `json:"ip_embedding,omitempty"`
}

// encode renders predictions in format f. A non-finite dot product is an
// error, since JSON cannot carry it.
func encode(preds []Prediction, f responseFormat) ([]byte, error) {
	out := make([]predictionJSON, len(preds))
	for i, p := range preds {
		if math.IsNaN(p.DotProduct) || math.IsInf(p.DotProduct, 0) {
			return nil, fmt.Errorf("record %d: model returned dot product %v", i, p.DotProduct)
		}
		out[i].DotProduct = p.DotProduct
		if f.verbose {
			out[i].EntityEmbedding, out[i].IPEmbedding = p.EntityEmbedding, p.IPEmbedding
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if !f.jsonLines {
		err := enc.Encode(struct {
			Predictions []predictionJSON `json:"predictions"`
		}{out})
		return buf.Bytes(), err
	}
	for _, p := range out {
		if err := enc.Encode(p); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// WriteJSONLines writes predictions as JSON lines, one object per record
// as /invocations answers application/jsonlines (batch scoring without a
// server); verbose adds the embeddings.
func WriteJSONLines(w io.Writer, preds []Prediction, verbose bool) error {
	b, err := encode(preds, responseFormat{jsonLines: true, verbose: verbose})
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
