// Package pushgateway pushes a batch job's metrics (nightly retraining,
// hyperparameter sweeps) to a Prometheus Pushgateway, using only the
// standard library.
//
// # Protocol
//
// A group of metrics is addressed by its grouping key, the job name plus
// any further labels, in the URL path
//
//	<baseURL>/metrics/job/<job>{/<label>/<value>}
//
// with the grouping labels in sorted order. A job name or label value that
// contains '/' is sent as <label>@base64/<value in unpadded URL-safe
// base64 (RFC 4648 §5)>, and an empty label value as <label>@base64/=, as
// the Pushgateway's README requires (a plain '/' would split the path and
// an empty segment would be dropped by its router); "." and ".." are sent
// in base64 too, since path cleaning would remove them. Other values are
// percent-encoded as path segments. The grouping labels may not include
// "job", and sample labels may not repeat any grouping label.
//
// [Push] sends PUT, which replaces every metric of the group; [Add] sends
// POST, which replaces only the metrics whose names it pushes; [Delete]
// sends DELETE, which removes the group. The Pushgateway answers 200 to a
// push and 202 to a delete; any status outside 2xx is returned as a
// [*StatusError] carrying the status and the response body, in which the
// Pushgateway explains a rejection (an inconsistent push, for instance).
//
// # Body
//
// Metrics are written in the Prometheus text exposition format 0.0.4
// (Content-Type "text/plain; version=0.0.4; charset=utf-8"):
//
//	# HELP <name> <help, with \ and newline escaped as \\ and \n>
//	# TYPE <name> gauge|counter|untyped
//	<name>{<label>="<value, with \, " and newline escaped>",...} <value>
//
// Metrics of the same name are written together under one HELP and TYPE,
// in the order of their first appearance; a sample's labels are sorted by
// name; values are written as Go's shortest 'g' format, or NaN, +Inf and
// -Inf. The HELP line is left out when Help is empty.
//
// Names are checked before anything is sent: metric names must match
// [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* without a
// leading "__", and help texts and label values must be valid UTF-8.
// Validation failures wrap [ErrInvalid].
//
// # Options
//
// By default requests use [http.DefaultClient] with a 10 s timeout per
// call and no authentication; see [WithHTTPClient], [WithTimeout] and
// [WithBasicAuth].
package pushgateway
