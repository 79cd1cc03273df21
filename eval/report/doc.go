// Package report renders evaluation results: PNG charts (ROC and
// precision-recall curves, interval forest plots, per-user block scores,
// loss curves, sweep charts) drawn with gonum.org/v1/plot, and a
// self-contained static HTML page that shows metrics tables and those charts.
package report
