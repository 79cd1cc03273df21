// Package logins reads, writes and synthesises (entity, IPv4) login events,
// the input of an IP Insights model (the algorithm of Amazon SageMaker that
// learns which entities use which addresses and scores unusual pairs).
//
// Readers stream events as an iter.Seq2[Event, error] together with a
// *Stats that fills as the sequence is iterated; nothing is loaded whole:
//
//   - ReadPairs: the headerless "entity,IPv4" CSV of IP Insights.
//   - ReadCSV: a CSV with a header row and named entity, address and
//     optional time columns.
//   - ReadSSHD: OpenSSH sshd syslog lines ("Accepted ...", "Failed ...");
//     other lines are counted as ignored, not errors.
//
// In strict mode (the default) the first bad record ends the sequence with
// a *ParseError naming the source and line; with Options.Lenient bad
// records are skipped and counted by Reason. Only IPv4 is supported: an
// IPv6 address is a bad record (ReasonIPv6). PairWriter and WritePairs
// write the "entity,IPv4" CSV.
//
// Synthesize generates users with a home ISP and a work company in a
// seeded synthetic network table, after the data generator of the IP
// Insights example notebook of SageMaker; InjectAttacks replaces a share of
// events by logins of the same entity from a network it never uses,
// labelled as attacks, for evaluation.
//
// IPv4Uint32, IPv4FromUint32, Subnet and Subnets turn addresses into
// integers and their /8, /16 and /24 networks.
package logins
