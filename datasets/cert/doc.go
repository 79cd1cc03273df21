// Package cert reads, generates and featurises the CERT Insider Threat
// Test Dataset, release r4.2 (Carnegie Mellon University, Software
// Engineering Institute, CERT Division): synthetic logs of a fictitious
// organisation's employees with planted malicious insiders, for
// imbalanced supervised detection.
//
// # Obtaining the data
//
// The dataset is published on CMU's KiltHub as "Insider Threat Test
// Dataset", https://kilthub.cmu.edu/articles/dataset/Insider_Threat_Test_Dataset/12841247
// (r4.2.tar.bz2 holds the release, answers.tar.bz2 the answer key). Its
// terms do not allow redistribution: no CERT file is shipped with this
// package or used in its tests. Download it there, unpack r4.2 and the
// answer key, and point the readers at the files. Generate writes
// synthetic data in the same layout for tests and quick starts.
//
// # Files and readers
//
// A release directory holds, each with a header row and dates written
// "MM/DD/YYYY HH:MM:SS" (no time zone):
//
//   - logon.csv: id,date,user,pc,activity (Logon, Logoff)
//   - device.csv: id,date,user,pc,activity (Connect, Disconnect of removable media)
//   - file.csv: id,date,user,pc,filename,content (files copied to removable media)
//   - email.csv: id,date,user,pc,to,cc,bcc,from,size,attachments,content
//   - http.csv: id,date,user,pc,url,content (about 14.5 GB in r4.2)
//   - LDAP/YYYY-MM.csv: employee_name,user_id,email,role,business_unit,
//     functional_unit,department,team,supervisor, one snapshot per month;
//     users who leave disappear from later snapshots
//   - answers/insiders.csv (in the answer key): dataset,scenario,details,
//     user,start,end, one row per insider of every release
//
// ReadEvents (or ReadEventsFrom on any io.Reader, such as a bzip2 stream)
// calls a function with one Event per row and holds nothing else: the
// content column is parsed and dropped, and string fields are copied out
// of the reader's buffer. CSV follows RFC 4180 (a quoted field may hold
// commas, doubled quotes and line breaks); rows longer than
// Options.MaxRowBytes stop the reader, so that a stray quote cannot make
// it buffer gigabytes. Malformed rows are a *ParseError naming the file
// and line, or with Options.Lenient are skipped and counted by Reason in
// Stats. ReadLDAP and ReadLDAPFile read the snapshots, Departures finds
// who left, and ReadInsiders reads the answer key, keeping the rows of
// release 4.2 (70 insiders of scenarios 1 to 3 in the real key).
//
// # Features
//
// Features computes, per user or per user and week, the daily behaviour
// features of the insider-threat seed: for each op (logon, logoff, device
// connect, device disconnect, file copy, e-mail send, web visit) and day
// type (weekday, weekend), the mean, max and min over the period of the
// daily count, and of the daily start (first event, hour as a float), end
// (last event) and duration (end − start). Column names read
// "<daytype>.<op>.<group>.<stat>", e.g. "weekday.logon.count.mean",
// "weekend.device_connect.end.max"; FeatureNames lists them in order: day
// type (weekday, weekend), op (as configured, by default logon, logoff,
// device_connect, device_disconnect, file_copy, email_send, http_visit),
// group (count, start, end, duration), statistic (mean, max, min). Seven
// ops give 2 × 7 × 12 = 168 columns.
//
// Choices where the seed's description ("daily counts summarised by mean,
// max and min over the period") is ambiguous:
//
//   - Counts are summarised over the user's active days of the day type
//     (days with any event), a day at work without the op counting 0;
//     FeatureConfig.Days = AllDays uses every calendar day between the
//     user's first and last event instead. A user with no such day has
//     counts 0. Times are summarised over the days on which the op occurs.
//   - Each column is clipped to its 1st and 99th percentiles across rows,
//     then missing values (times of an op a user never did on that day
//     type) take the column mean over the rows that have one.
//   - The seed reports 96 features, not 168. It names neither its ops nor
//     its statistics; 96 = 4 ops × 2 day types × 12, and SeedOps (logon,
//     device connect, file copy, e-mail send: no web, no logoff or
//     disconnect) with SeedFeatureNames is this package's inference of
//     that subset, not a documented reproduction. Other splits (8 ops × 2
//     × 6 statistics, say) fit 96 as well.
//
// Labels come from the answer key: a user row is an insider's; with
// PerWeek, the weeks overlapping the insider's [start, end].
//
// # Generator
//
// Generate writes a synthetic release: users with habitual working hours,
// weekday routines, mostly idle weekends, monthly LDAP snapshots, and
// planted insiders of the three r4.2 scenarios (after-hours drive use and
// uploads to wikileaks.org; job search then data theft on a thumb drive;
// a system administrator's keylogger and mass e-mail as his supervisor),
// with the answer key. Its output depends only on the GenConfig and the
// seeded rng.
package cert
