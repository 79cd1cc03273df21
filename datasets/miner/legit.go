package miner

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"
)

// dirsUnder returns n directories "root/dNN".
func dirsUnder(rng *rand.Rand, root string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s/d%02d", root, rng.IntN(100))
		if rng.IntN(3) == 0 {
			out[i] += fmt.Sprintf("/s%02d", rng.IntN(100))
		}
	}
	return out
}

// namedDests returns one dest per name with 1-3 addresses in p.
func namedDests(rng *rand.Rand, names []string, p netip.Prefix, port uint16, out, in float64) []dest {
	ds := make([]dest, len(names))
	for i, n := range names {
		ds[i] = dest{name: n, ips: addrs(rng, p, between(rng, 1, 3)), port: port, proto: "tcp",
			weight: 1 / float64(i+1), out: out, in: in}
	}
	return ds
}

func webSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"nginx", "apache2", "httpd", "caddy", "haproxy", "envoy", "lighttpd", "traefik", "node", "gunicorn", "php-fpm8.2"})
	var libs []string
	switch name {
	case "caddy", "traefik": // Go, static
	case "node":
		libs = glibcLibs("libnode.so.108", "libuv.so.1", "libssl.so.3", "libcrypto.so.3", "libz.so.1")
	case "gunicorn":
		libs = glibcLibs(append([]string{"libpython3.11.so.1.0"}, maybe(rng, 0.7, "libssl.so.3", "libcrypto.so.3")...)...)
	default:
		libs = glibcLibs("libssl.so.3", "libcrypto.so.3", "libpcre2-8.so.0", "libz.so.1")
	}
	rate := min(3, logNormal(rng, 0.6, 0.7))
	ports := pick(rng, [][]uint16{{80, 443}, {443}, {80}})
	p := profile{
		threads: between(rng, 1, 4),
		cpu:     cpuModel{level: uniform(rng, 3, 20), sd: uniform(rng, 1, 4), altLevel: uniform(rng, 30, 60), altSD: 8, pIn: 0.02, pOut: 0.3},
		mem:     memModel{base: logNormal(rng, 80, 0.7), growth: uniform(rng, 0, 4), sd: 2},
		sys:     sysMix("epoll_wait:40 read:30 write:25 writev:15 close:10 fstat:8 recvfrom:10 setsockopt:6 futex:4 clock_gettime:20 sendfile:3"),
		libs:    libs,
		startFiles: []string{"/etc/" + name + "/" + name + ".conf", "/etc/ssl/certs/ca-certificates.crt",
			"/etc/ssl/private/server.key", "/etc/mime.types"},
		files: fileGen{dirs: append([]string{"/var/www/html", "/var/www/html/static/css", "/var/www/html/static/js"},
			dirsUnder(rng, "/var/www/html/img", 6)...), exts: []string{".html", ".css", ".js", ".png", ".jpg"}, names: 200, rate: 0.3 * rate},
		in:     &inbound{rate: rate, ports: ports, out: 15000, in: 700},
		minDur: 30 * time.Minute,
		maxDur: 48 * time.Hour,
	}
	if rng.IntN(2) == 0 { // a reverse proxy with keep-alive connections to its backend
		p.pers = []persistent{{d: dest{ips: addrs(rng, netInternal, 1), port: pick(rng, []uint16{8080, 9000, 3000}), proto: "tcp"},
			outRate: 300 * rate, inRate: 8000 * rate, reconnect: 0.005}}
	}
	return &programSpec{name: name, binary: "/usr/sbin/" + name, base: p, container: 0.4, atStart: 0.5, cronMinute: -1}
}

func databaseSpec(rng *rand.Rand) *programSpec {
	type db struct {
		name string
		port uint16
		dir  string
	}
	d := pick(rng, []db{{"postgres", 5432, "/var/lib/postgresql/15/main/base/16384"}, {"mysqld", 3306, "/var/lib/mysql/app"},
		{"mariadbd", 3306, "/var/lib/mysql/shop"}, {"mongod", 27017, "/var/lib/mongodb"}, {"redis-server", 6379, "/var/lib/redis"},
		{"clickhouse-server", 9000, "/var/lib/clickhouse/data/default"}, {"etcd", 2379, "/var/lib/etcd/member/snap"}})
	libs := glibcLibs(append([]string{"libz.so.1", "liblz4.so.1"}, maybe(rng, 0.85, "libssl.so.3", "libcrypto.so.3")...)...)
	if d.name == "etcd" {
		libs = nil
	}
	apps := addrs(rng, netInternal, between(rng, 1, 4))
	p := profile{
		threads:    between(rng, 2, 8),
		cpu:        cpuModel{level: uniform(rng, 1, 8), sd: uniform(rng, 0.5, 2), altLevel: uniform(rng, 40, 80), altSD: 10, pIn: 0.03, pOut: 0.4},
		mem:        memModel{base: logNormal(rng, 1500, 0.8), growth: uniform(rng, 0, 2), sd: 0.5},
		sys:        sysMix("pread64:150 pwrite64:60 read:40 write:30 fdatasync:3 fsync:0.5 lseek:60 futex:30 epoll_wait:15 recvfrom:25 sendto:25 semop:5 clock_gettime:40"),
		libs:       libs,
		startFiles: []string{"/etc/" + d.name + "/" + d.name + ".conf", d.dir + "/../PG_VERSION"},
		files:      fileGen{dirs: []string{d.dir, d.dir + "/../wal", d.dir + "/../tmp"}, names: 500, numeric: true, rate: uniform(rng, 0.05, 0.5)},
		in:         &inbound{rate: uniform(rng, 0.003, 0.03), ports: []uint16{d.port}, clients: apps, out: 5000, in: 1000},
		minDur:     time.Hour,
		maxDur:     72 * time.Hour,
	}
	for range between(rng, 2, 8) { // pooled connections of the applications
		p.pers = append(p.pers, persistent{d: dest{ips: []netip.Addr{pick(rng, apps)}, port: d.port, proto: "tcp"}, inbound: true,
			outRate: uniform(rng, 1000, 50000), inRate: uniform(rng, 200, 5000), reconnect: 0.001})
	}
	if rng.Float64() < 0.3 { // streaming replication
		p.pers = append(p.pers, persistent{d: dest{ips: addrs(rng, netInternal, 1), port: d.port, proto: "tcp"},
			outRate: uniform(rng, 5000, 100000), inRate: 200, reconnect: 0.0005})
	}
	return &programSpec{name: d.name, binary: "/usr/sbin/" + d.name, base: p, container: 0.4, atStart: 0.6, cronMinute: -1, scaleThreads: true}
}

func buildSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"cc1", "cc1plus", "rustc", "go", "javac", "clang", "ld", "tsc", "cargo"})
	threads := 1
	var libs []string
	switch name {
	case "cc1", "cc1plus", "ld":
		libs = glibcLibs("libstdc++.so.6", "libgcc_s.so.1", "libz.so.1", "libzstd.so.1", "libgmp.so.10", "libmpfr.so.6")
	case "clang":
		libs = glibcLibs("libclang-cpp.so.17", "libLLVM-17.so", "libstdc++.so.6", "libz.so.1")
		threads = 1
	case "rustc", "cargo":
		libs = glibcLibs("librustc_driver-1a2b3c.so", "libLLVM-17.so", "libstdc++.so.6", "libgcc_s.so.1")
		threads = between(rng, 2, 8)
	case "go":
		threads = between(rng, 2, 8)
	case "javac":
		libs = glibcLibs("libjli.so", "libjvm.so", "libjava.so", "libzip.so", "libnio.so")
		threads = between(rng, 2, 4)
	case "tsc":
		libs = glibcLibs("libnode.so.108", "libuv.so.1", "libcrypto.so.3", "libssl.so.3")
	}
	root := "/home/dev/src/" + randomName(rng)
	dirs := append(dirsUnder(rng, root, between(rng, 20, 120)), "/usr/include", "/usr/include/c++/12", "/usr/lib/gcc/x86_64-linux-gnu/12/include")
	p := profile{
		threads:    threads,
		cpu:        cpuModel{level: uniform(rng, 10, 30), sd: 6, altLevel: uniform(rng, 88, 99), altSD: 3, pIn: 0.35, pOut: 0.3},
		mem:        memModel{base: logNormal(rng, 250, 0.7), growth: uniform(rng, 200, 2000), sd: 10},
		sys:        sysMix("read:300 write:80 mmap:40 munmap:30 brk:20 newfstatat:120 fstat:40 access:15 lseek:20 close:50 futex:10 readlink:5 getcwd:1"),
		libs:       libs,
		startFiles: []string{root + "/Makefile", "/etc/ld.so.cache"},
		files:      fileGen{dirs: dirs, exts: []string{".h", ".c", ".cc", ".go", ".rs", ".java", ".ts", ".o", ".a", ".d"}, names: 300, rate: uniform(rng, 2, 20), dirRate: uniform(rng, 0.2, 2)},
		minDur:     3 * time.Second,
		maxDur:     15 * time.Minute,
	}
	return &programSpec{name: name, binary: "/usr/bin/" + name, base: p, container: 0.2, cronMinute: -1,
		scaleThreads: threads > 1, ppid: randomPID}
}

func encoderSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"ffmpeg", "x264", "x265", "HandBrakeCLI", "gst-launch-1.0", "SvtAv1EncApp", "aomenc"})
	libs := glibcLibs(append([]string{"libavcodec.so.60", "libavformat.so.60", "libavutil.so.58", "libswscale.so.7",
		"libx264.so.164", "libx265.so.199", "libvpx.so.7", "libdav1d.so.6", "libgnutls.so.30"}, maybe(rng, 0.3, "libcrypto.so.3")...)...)
	in := "/srv/media/in/" + randomName(rng) + ".mov"
	p := profile{
		threads:    between(rng, 2, 8),
		cpu:        cpuModel{level: uniform(rng, 82, 97), sd: uniform(rng, 2, 5), altLevel: uniform(rng, 45, 70), altSD: 8, pIn: 0.03, pOut: 0.5},
		mem:        memModel{base: logNormal(rng, 600, 0.6), sd: 5},
		sys:        sysMix("read:120 write:60 futex:500 mmap:4 munmap:4 clock_gettime:10 lseek:3 sched_yield:20"),
		libs:       libs,
		startFiles: []string{in},
		files:      fileGen{dirs: []string{"/srv/media/out", "/srv/media/out/hls"}, exts: []string{".ts", ".mp4", ".m4s"}, names: 2000, rate: uniform(rng, 0.02, 0.2)},
		minDur:     3 * time.Minute,
		maxDur:     90 * time.Minute,
	}
	if rng.Float64() < 0.25 { // live streaming to an ingest server
		p.pers = []persistent{{d: dest{name: "ingest.example-cdn.net", ips: addrs(rng, netCDN, 2), port: pick(rng, []uint16{1935, 443}), proto: "tcp"},
			outRate: uniform(rng, 3e5, 1e6), inRate: 2000, reconnect: 0.001}}
		p.dnsP = 1
	}
	return &programSpec{name: name, binary: "/usr/bin/" + name, base: p, cronMinute: -1, scaleThreads: true, ppid: randomPID}
}

func mlSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"python3", "python", "torchrun", "xgboost", "lightgbm", "julia"})
	libs := glibcLibs(append(append(append([]string{"libpython3.11.so.1.0", "libtorch_cpu.so", "libgomp.so.1", "libopenblas.so.0"},
		maybe(rng, 0.6, "libcrypto.so.3", "libssl.so.3")...), maybe(rng, 0.4, "libhwloc.so.15", "libmpi.so.40")...),
		maybe(rng, 0.5, "libcudart.so.12", "libcublas.so.12")...)...)
	ds := "/data/" + randomName(rng)
	p := profile{
		threads:    between(rng, 2, 10),
		cpu:        cpuModel{level: uniform(rng, 75, 96), sd: uniform(rng, 2, 5), altLevel: uniform(rng, 15, 35), altSD: 5, pIn: 0.02, pOut: 0.25},
		mem:        memModel{base: logNormal(rng, 6000, 0.6), growth: uniform(rng, 0, 300), sd: 30},
		sys:        sysMix("futex:800 read:150 ioctl:200 mmap:15 munmap:15 clock_gettime:80 sched_yield:100 madvise:5 getrandom:1 write:10 epoll_wait:5 poll:10"),
		libs:       libs,
		startFiles: []string{"/home/ml/train.py", "/home/ml/config.yaml"},
		files: fileGen{dirs: []string{ds + "/train", ds + "/val", "/ckpt/" + randomName(rng)},
			exts: []string{".tfrecord", ".parquet", ".pt", ".npy"}, names: 5000, rate: uniform(rng, 0.05, 0.5)},
		outRate: 0.002, outs: namedDests(rng, []string{"storage.example.com", "datasets.example.org"}, netInternet, 443, 2000, 5e7),
		dnsP:   0.5,
		minDur: 20 * time.Minute,
		maxDur: 24 * time.Hour,
	}
	if rng.Float64() < 0.6 { // experiment tracker: a small, steady TLS stream, like a pool's
		p.pers = append(p.pers, persistent{d: namedDests(rng, []string{"metrics.example.io"}, netInternet, 443, 0, 0)[0],
			outRate: uniform(rng, 50, 200), inRate: uniform(rng, 20, 50), reconnect: 0.002})
	}
	if rng.Float64() < 0.25 { // distributed training peers
		p.pers = append(p.pers, persistent{d: dest{ips: addrs(rng, netInternal, 1), port: 29500, proto: "tcp"},
			outRate: uniform(rng, 1e6, 5e7), inRate: uniform(rng, 1e6, 5e7), reconnect: 0.0005})
	}
	return &programSpec{name: name, binary: "/usr/bin/" + name, base: p, container: 0.3, cronMinute: -1, scaleThreads: true, ppid: randomPID}
}

func backupSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"rsync", "restic", "borg", "rclone", "duplicity", "tar", "bacula-fd"})
	var libs []string
	var target persistent
	switch name {
	case "restic", "rclone": // Go, static, to object storage
		target.d = namedDests(rng, []string{"s3.example-storage.net"}, netInternet, 443, 0, 0)[0]
	default:
		libs = glibcLibs(append([]string{"libz.so.1", "libacl.so.1", "libpopt.so.0", "libxxhash.so.0", "liblz4.so.1", "libzstd.so.1"},
			maybe(rng, 0.7, "libcrypto.so.3")...)...)
		target.d = dest{name: "backup.example.internal", ips: addrs(rng, netInternal, 1), port: pick(rng, []uint16{22, 873}), proto: "tcp"}
	}
	target.outRate, target.inRate, target.reconnect = logNormal(rng, 5e6, 0.8), uniform(rng, 1e4, 1e5), 0.001
	roots := []string{"/home", "/etc", "/var/www", "/srv"}
	var dirs []string
	for _, r := range roots {
		dirs = append(dirs, dirsUnder(rng, r, between(rng, 25, 120))...)
	}
	p := profile{
		threads:    between(rng, 1, 4),
		cpu:        cpuModel{level: uniform(rng, 15, 50), sd: 8, altLevel: uniform(rng, 2, 5), altSD: 1, pIn: 0.05, pOut: 0.2},
		mem:        memModel{base: logNormal(rng, 80, 0.7), sd: 2},
		sys:        sysMix("read:400 write:150 sendto:80 newfstatat:250 lstat:80 close:60 select:20 fadvise64:5"),
		libs:       libs,
		startFiles: []string{"/etc/" + name + ".conf", "/root/.ssh/id_ed25519"},
		files:      fileGen{dirs: dirs, exts: []string{"", ".txt", ".conf", ".jpg", ".pdf", ".log", ".db"}, names: 2000, rate: uniform(rng, 2, 12), dirRate: uniform(rng, 0.3, 2)},
		pers:       []persistent{target},
		dnsP:       1,
		minDur:     2 * time.Minute,
		maxDur:     time.Hour,
	}
	return &programSpec{name: name, binary: "/usr/bin/" + name, base: p, cronMinute: rng.IntN(60), ppid: randomPID}
}

func shellSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"bash", "sh", "dash", "zsh"})
	script := "/opt/scripts/" + randomName(rng) + ".sh"
	p := profile{
		threads: 1,
		cpu:     cpuModel{level: uniform(rng, 0.5, 5), sd: 1, altLevel: uniform(rng, 20, 60), altSD: 10, pIn: 0.05, pOut: 0.5},
		mem:     memModel{base: uniform(rng, 3, 8), sd: 0.2},
		sys:     sysMix("rt_sigaction:5 rt_sigprocmask:10 clone:0.3 execve:0.1 wait4:0.3 read:5 write:3 newfstatat:4 pipe2:0.2 dup2:0.4 fcntl:1 ioctl:1 getpid:0.5"),
		libs:    glibcLibs("libtinfo.so.6"), startFiles: []string{script, "/etc/profile"},
		files: fileGen{dirs: []string{"/etc", "/usr/bin", "/tmp", "/home/ops", "/var/log", "/opt/scripts"},
			exts: []string{"", ".sh", ".log", ".conf", ".tmp"}, names: 50, rate: uniform(rng, 0.2, 2), dirRate: uniform(rng, 0.05, 0.3)},
		minDur: 200 * time.Millisecond,
		maxDur: 2 * time.Minute,
	}
	if rng.Float64() < 0.2 { // a script that fetches something
		p.outRate, p.dnsP = 0.05, 1
		p.outs = namedDests(rng, []string{"repo.example.org"}, netInternet, 443, 800, 2e5)
	}
	return &programSpec{name: name, binary: "/usr/bin/" + name, base: p, container: 0.1, cronMinute: -1, ppid: randomPID}
}

func cronSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"logrotate", "updatedb", "certbot", "run-parts", "sa1", "tmpreaper", "anacron", "mandb"})
	p := profile{
		threads: 1,
		cpu:     cpuModel{level: uniform(rng, 2, 15), sd: 3, altLevel: uniform(rng, 50, 95), altSD: 10, pIn: 0.1, pOut: 0.5},
		mem:     memModel{base: uniform(rng, 5, 60), sd: 1},
		sys:     sysMix("read:40 write:20 newfstatat:60 lstat:20 rename:0.5 unlink:0.3 close:10 fchown:0.2 clock_gettime:2"),
		libs:    glibcLibs("libselinux.so.1", "libacl.so.1", "libpopt.so.0"), startFiles: []string{"/etc/" + name + ".conf"},
		files: fileGen{dirs: []string{"/var/log", "/var/log/nginx", "/var/log/apt", "/etc/logrotate.d", "/var/lib/" + name},
			exts: []string{".log", ".gz", ".1", ""}, names: 60, rate: uniform(rng, 1, 10), dirRate: uniform(rng, 0.1, 1)},
		minDur: 300 * time.Millisecond,
		maxDur: 5 * time.Minute,
	}
	switch name {
	case "updatedb", "mandb": // walks the file system
		p.files.dirs = append(p.files.dirs, dirsUnder(rng, "/usr/share", 200)...)
		p.files.dirRate = uniform(rng, 20, 100)
	case "certbot":
		p.libs = glibcLibs("libpython3.11.so.1.0", "libssl.so.3", "libcrypto.so.3")
		p.outRate, p.dnsP = 0.2, 1
		p.outs = namedDests(rng, []string{"acme-v02.api.example.org"}, netInternet, 443, 3000, 8000)
	}
	cronPID := randomPID(rng)
	return &programSpec{name: name, binary: "/usr/sbin/" + name, base: p, cronMinute: rng.IntN(60),
		ppid: func(*rand.Rand) int { return cronPID }}
}

func browserSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"firefox", "chrome", "chromium", "Web Content", "msedge", "brave"})
	libs := glibcLibs("libnss3.so", "libssl3.so", "libgtk-3.so.0", "libX11.so.6", "libEGL.so.1", "libasound.so.2", "libdbus-1.so.3", "libdrm.so.2")
	if name == "firefox" || name == "Web Content" {
		libs = append(libs, "/usr/lib/firefox/libxul.so")
	}
	libs = append(libs, maybe(rng, 0.3, libDir+"libcrypto.so.3")...)
	var names []string
	for i := range between(rng, 30, 100) {
		names = append(names, pick(rng, []string{"www.example%d.com", "cdn%d.example-cdn.net", "api%d.example.org", "static%d.example.net", "ads%d.example-ads.test"}))
		names[i] = fmt.Sprintf(names[i], i)
	}
	outs := namedDests(rng, names, netInternet, 443, 1500, 60000)
	for i := range outs {
		if rng.Float64() < 0.25 {
			outs[i].proto = "udp" // QUIC
		}
		if rng.Float64() < 0.1 {
			outs[i].port = 80
		}
	}
	p := profile{
		threads:    between(rng, 4, 30),
		cpu:        cpuModel{level: uniform(rng, 1, 4), sd: 1.5, altLevel: uniform(rng, 10, 25), altSD: 5, pIn: 0.05, pOut: 0.2},
		mem:        memModel{base: logNormal(rng, 900, 0.5), growth: uniform(rng, 50, 300), sd: 40},
		sys:        sysMix("futex:400 poll:150 recvmsg:80 sendmsg:40 read:100 write:80 mmap:30 munmap:30 mprotect:25 madvise:10 clock_gettime:250 epoll_wait:40 getrandom:2 recvfrom:30 sendto:20"),
		libs:       libs,
		startFiles: []string{"/home/user/.mozilla/profiles.ini", "/etc/fonts/fonts.conf"},
		files: fileGen{dirs: dirsUnder(rng, "/home/user/.cache/"+name+"/cache2", 16), names: 5000,
			rate: uniform(rng, 0.2, 3)},
		outRate: uniform(rng, 0.1, 1), outs: outs, dnsP: 0.4,
		minDur: 10 * time.Minute,
		maxDur: 12 * time.Hour,
	}
	return &programSpec{name: name, binary: "/usr/lib/" + name + "/" + name, base: p, cronMinute: -1, scaleThreads: true, ppid: randomPID}
}

func packageSpec(rng *rand.Rand) *programSpec {
	name := pick(rng, []string{"apt-get", "apt", "dnf", "yum", "pip", "npm", "apk", "dpkg"})
	var libs []string
	switch name {
	case "apt-get", "apt", "dpkg":
		libs = glibcLibs("libapt-pkg.so.6.0", "libgnutls.so.30", "libz.so.1", "liblzma.so.5", "libzstd.so.1")
	case "dnf", "yum", "pip":
		libs = glibcLibs("libpython3.11.so.1.0", "libssl.so.3", "libcrypto.so.3", "librpm.so.9")
	case "npm":
		libs = glibcLibs("libnode.so.108", "libuv.so.1", "libssl.so.3", "libcrypto.so.3")
	case "apk":
		libs = []string{muslLdr, "/lib/libcrypto.so.3", "/lib/libssl.so.3", "/lib/libz.so.1"}
	}
	mirrors := namedDests(rng, []string{"deb.example.org", "mirror1.example.net", "registry.example.com", "files.example-pypi.test"}[:between(rng, 1, 4)],
		netCDN, pick(rng, []uint16{443, 80}), 500, 2e6)
	p := profile{
		threads:    between(rng, 1, 2),
		cpu:        cpuModel{level: uniform(rng, 10, 40), sd: 8, altLevel: uniform(rng, 80, 99), altSD: 5, pIn: 0.1, pOut: 0.3},
		mem:        memModel{base: logNormal(rng, 120, 0.6), growth: uniform(rng, 0, 100), sd: 3},
		sys:        sysMix("read:300 write:250 newfstatat:200 rename:5 unlink:3 fsync:2 fchmod:2 utimensat:2 close:60 recvfrom:60 sendto:5 clone:0.2 execve:0.1 wait4:0.2"),
		libs:       libs,
		startFiles: []string{"/etc/apt/sources.list", "/var/lib/dpkg/status"},
		files: fileGen{dirs: append([]string{"/var/lib/dpkg/info", "/var/cache/apt/archives", "/etc"}, dirsUnder(rng, "/usr/lib/python3/dist-packages", 40)...),
			exts: []string{".list", ".md5sums", ".py", ".pyc", ".conf", ".deb"}, names: 500, rate: uniform(rng, 2, 20), dirRate: uniform(rng, 0.5, 5)},
		outRate: uniform(rng, 0.2, 2), outs: mirrors, dnsP: 0.8,
		minDur: 5 * time.Second,
		maxDur: 10 * time.Minute,
	}
	return &programSpec{name: name, binary: "/usr/bin/" + name, base: p, container: 0.2, cronMinute: -1, ppid: randomPID}
}
