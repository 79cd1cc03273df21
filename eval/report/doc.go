// Package report renders evaluation results: PNG charts (ROC curves, per-user
// block scores, loss curves) drawn with gonum.org/v1/plot, and a
// self-contained static HTML page that shows metrics tables and those charts.
package report
