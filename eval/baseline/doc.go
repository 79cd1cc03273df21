// Package baseline holds reference detectors that need no learned model,
// for comparison with vigil's models: naive Bayes for the SEA masquerade
// data (Maxion & Townsend 2002), STIDE for system-call traces (Forrest et
// al. 1996), and the IP and /24-subnet tables of the IP Insights example
// for (entity, IPv4) logins.
package baseline
