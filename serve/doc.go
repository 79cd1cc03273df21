// Package serve answers online scoring requests for (entity, IPv4) pairs
// over HTTP with Amazon SageMaker's inference-container contract, the
// request and response formats of SageMaker's IP Insights algorithm, and
// Prometheus metrics.
//
// Endpoints:
//
//	GET  /ping         200 once a model is loaded; 503 before, and while shutting down
//	POST /invocations  score records
//	GET  /metrics      Prometheus text format
//
// Request bodies, by Content-Type:
//
//	text/csv               entity,IPv4 per line, no header
//	application/json       {"instances": [{"features": ["e", "1.2.3.4"]}, ...]}
//	                       or one record: {"data": {"features": {"values": ["e", "1.2.3.4"]}}}
//	application/jsonlines  one {"features": [...]} or {"data": ...} object per line
//
// Within "instances" and JSON lines, both record shapes may be mixed.
// Only IPv4 addresses are supported (IPv4-mapped IPv6 is unmapped); an
// IPv6 address is a 400.
//
// The response is application/json, {"predictions": [{"dot_product": x},
// ...]}, one prediction per record in order; "Accept: application/json;
// verbose=True" adds "entity_embedding" and "ip_embedding".
// "Accept: application/jsonlines" gives one prediction object per line.
//
// Errors are plain text: 400 for a malformed body or address, naming the
// zero-based record index (`record 3: "10.0.0.300" is not an IPv4
// address`); 413 for a body over Config.MaxBodyBytes (5 MiB by default);
// 415 for an unknown Content-Type; 503 when no model is loaded or the
// request misses its deadline (Config.Timeout); 500 when the model fails.
//
// Examples with curl:
//
//	curl -s localhost:8080/ping
//	curl -s -H 'Content-Type: text/csv' --data-binary $'alice,10.0.0.1\nbob,192.168.1.7' localhost:8080/invocations
//	curl -s -H 'Content-Type: application/json' -H 'Accept: application/json; verbose=True' \
//	    -d '{"instances":[{"features":["alice","10.0.0.1"]}]}' localhost:8080/invocations
//	curl -s -H 'Content-Type: application/jsonlines' --data-binary $'{"features":["alice","10.0.0.1"]}\n' localhost:8080/invocations
//	curl -s localhost:8080/metrics
//
// A Server gets its model from a Loader. Reload swaps in a fresh one
// atomically: requests in flight finish on the model they started with,
// and none fails during the swap. Watch loads the model, then polls a
// model directory and reloads on change; its documentation gives the promotion protocol. Run
// serves until its context is cancelled (wire SIGTERM to it), then drains
// in-flight requests within Config.ShutdownGrace.
package serve
