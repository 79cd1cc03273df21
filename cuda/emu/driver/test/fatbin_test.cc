// Tests of cuda/emu/driver/fatbin.cc: the committed cuda/kernels/kernels.fatbin
// against the kernels declared in cuda/kernels/*.cu, the LZ4-compressed
// fatbin_test_kernels.fatbin (see fatbin_test_kernels.cu), hand-written PTX,
// and damaged copies of them, which must give errors, never crashes. Run it
// from the repository root (or pass the root as the argument); the exit
// status is 0 when every check passes. Build it with
// -fsanitize=address,undefined so that stray reads are caught:
//
//   g++ -std=c++20 -g -O1 -fsanitize=address,undefined
//     -fno-sanitize-recover=all -I cuda/emu/driver cuda/emu/driver/fatbin.cc
//     cuda/emu/driver/test/fatbin_test.cc -o fatbin_test && ./fatbin_test
#include "fatbin.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <tuple>
#include <utility>

using vgemu::ImageError;
using vgemu::KernelInfo;
using vgemu::ModuleImage;
using Bytes = std::vector<uint8_t>;

static int checks, failures;
#define CHECK(c, ...)                                                    \
    do {                                                                 \
        checks++;                                                        \
        if (!(c)) {                                                      \
            failures++;                                                  \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #c); \
            fprintf(stderr, __VA_ARGS__);                                \
            fputc('\n', stderr);                                         \
        }                                                                \
    } while (0)

static Bytes read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        fprintf(stderr, "cannot read %s\n", path.c_str());
        exit(2);
    }
    return Bytes((std::istreambuf_iterator<char>(f)), {});
}

static bool parse(const Bytes& b, int major, int minor, ModuleImage* m, std::string* err, bool known_len = true) {
    return vgemu::parse_module_image(b.data(), known_len ? b.size() : 0, major, minor, m, err);
}

static uint32_t u32(const Bytes& b, size_t o) {
    uint32_t v;
    memcpy(&v, &b[o], 4);
    return v;
}
static uint64_t u64(const Bytes& b, size_t o) {
    uint64_t v;
    memcpy(&v, &b[o], 8);
    return v;
}
static void put32(Bytes& b, size_t o, uint32_t v) { memcpy(&b[o], &v, 4); }
static void put64(Bytes& b, size_t o, uint64_t v) { memcpy(&b[o], &v, 8); }

static std::string hex(uint64_t v) {
    char b[24];
    snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
    return b;
}

// ---- expected kernels, from the CUDA sources -----------------------------

// Size of a C parameter type (LP64).
static uint32_t c_size(const std::string& t) {
    auto has = [&](const char* w) { return t.find(w) != std::string::npos; };
    if (has("*") || has("double") || has("long") || has("size_t")) return 8;
    if (has("int") || has("float") || has("unsigned")) return 4;
    if (has("short")) return 2;
    if (has("char") || has("bool")) return 1;
    fprintf(stderr, "unknown parameter type '%s'\n", t.c_str());
    exit(2);
}

// The index past the parenthesis that closes the one at i.
static size_t close_paren(const std::string& s, size_t i) {
    for (int d = 0; i < s.size(); i++) {
        if (s[i] == '(') d++;
        if (s[i] == ')' && --d == 0) return i + 1;
    }
    return s.npos;
}

static std::vector<std::string> split_args(const std::string& s) {  // at top-level commas
    std::vector<std::string> out(1);
    int d = 0;
    for (char c : s) {
        d += (c == '(') - (c == ')');
        if (c == ',' && d == 0) out.emplace_back();
        else out.back() += c;
    }
    for (auto& a : out) {
        a.erase(0, a.find_first_not_of(" \t\n"));
        a.erase(a.find_last_not_of(" \t\n") + 1);
    }
    return out;
}

struct Sig {
    std::string name;  // in a macro, a template of ## pieces
    std::vector<uint32_t> sizes;
};

// Every `extern "C" __global__ void NAME(params)` in text.
static std::vector<Sig> find_kernels(const std::string& text) {
    std::vector<Sig> out;
    const std::string key = "extern \"C\" __global__ void";
    for (size_t i = text.find(key); i != text.npos; i = text.find(key, i + 1)) {
        size_t j = i + key.size();
        while (isspace((unsigned char)text[j])) j++;
        if (text.compare(j, 17, "__launch_bounds__") == 0) j = close_paren(text, text.find('(', j));
        size_t lp = text.find('(', j);
        Sig s;
        for (char c : text.substr(j, lp - j))
            if (!isspace((unsigned char)c)) s.name += c;
        for (const std::string& p : split_args(text.substr(lp + 1, close_paren(text, lp) - lp - 2)))
            if (!p.empty() && p != "void") s.sizes.push_back(c_size(p));
        out.push_back(s);
    }
    return out;
}

// The kernels of the *.cu files in dir, written out or made by function-like
// macros (the name a template of ## pieces), with their parameter sizes.
static std::map<std::string, std::vector<uint32_t>> source_kernels(const std::string& dir) {
    std::map<std::string, std::vector<uint32_t>> out;
    std::vector<std::string> files;
    for (auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".cu") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
        Bytes raw = read_file(f);
        std::string s(raw.begin(), raw.end()), t;
        for (size_t i = 0; i < s.size(); i++) {  // drop comments, join continued lines
            if (s.compare(i, 2, "//") == 0) i = s.find('\n', i) - 1;
            else if (s.compare(i, 2, "/*") == 0) i = s.find("*/", i) + 1;
            else if (s.compare(i, 2, "\\\n") == 0) i++, t += ' ';
            else t += s[i];
        }
        struct Macro {
            std::vector<std::string> params;
            std::vector<Sig> sigs;
        };
        std::map<std::string, Macro> macros;
        std::string code;
        for (size_t pos = 0, e; pos < t.size(); pos = e + 1) {
            e = std::min(t.size(), t.find('\n', pos));
            std::string line = t.substr(pos, e - pos);
            size_t h = line.find_first_not_of(" \t");
            if (h == line.npos || line[h] != '#') {
                code += line + "\n";
                continue;
            }
            if (line.compare(h, 7, "#define") != 0) continue;
            size_t n = line.find_first_not_of(" \t", h + 7), lp = line.find_first_of("( \t", n);
            if (lp == line.npos || line[lp] != '(') continue;
            size_t rp = line.find(')', lp);
            Macro m{split_args(line.substr(lp + 1, rp - lp - 1)), find_kernels(line.substr(rp + 1))};
            if (!m.sigs.empty()) macros[line.substr(n, lp - n)] = m;
        }
        for (const Sig& k : find_kernels(code)) out[k.name] = k.sizes;
        for (auto& [name, m] : macros) {
            for (size_t i = code.find(name + "("); i != code.npos; i = code.find(name + "(", i + 1)) {
                if (i > 0 && (isalnum((unsigned char)code[i - 1]) || code[i - 1] == '_')) continue;
                size_t lp = i + name.size();
                std::vector<std::string> args = split_args(code.substr(lp + 1, close_paren(code, lp) - lp - 2));
                for (const Sig& k : m.sigs) {
                    std::string full, tmpl = k.name + "##";
                    for (size_t a = 0, b; (b = tmpl.find("##", a)) != tmpl.npos; a = b + 2) {
                        std::string piece = tmpl.substr(a, b - a);
                        size_t p = std::find(m.params.begin(), m.params.end(), piece) - m.params.begin();
                        full += p < m.params.size() && p < args.size() ? args[p] : piece;
                    }
                    out[full] = k.sizes;
                }
            }
        }
    }
    return out;
}

// ---- raw walks of fatbins and ELFs, to cut and damage them ----------------

struct Raw {
    size_t off, data, payload;
    uint16_t kind;
    uint32_t arch;
};

static std::vector<Raw> entries(const Bytes& f) {
    std::vector<Raw> out;
    for (size_t off = 16; off + 64 <= f.size();) {
        Raw r{off, off + u32(f, off + 4), u64(f, off + 8), uint16_t(f[off] | f[off + 1] << 8), u32(f, off + 0x1c)};
        out.push_back(r);
        off = r.data + r.payload;
    }
    return out;
}

// Index and header offset (in f) of the section called name of the ELF at elf.
static std::pair<int, size_t> section(const Bytes& f, size_t elf, const std::string& name) {
    size_t shoff = elf + u64(f, elf + 0x28);
    int shnum = f[elf + 0x3c] | f[elf + 0x3d] << 8, shstrndx = f[elf + 0x3e] | f[elf + 0x3f] << 8;
    size_t names = elf + u64(f, shoff + shstrndx * 64 + 0x18);
    for (int i = 0; i < shnum; i++)
        if (name == (const char*)&f[names + u32(f, shoff + i * 64)]) return {i, shoff + i * 64};
    fprintf(stderr, "no section %s\n", name.c_str());
    exit(2);
}

// ---- checks ---------------------------------------------------------------

static std::string params_str(const KernelInfo& k) {
    std::string s;
    for (size_t i = 0; i < k.param_sizes.size(); i++)
        s += std::to_string(k.param_sizes[i]) + "@" + std::to_string(k.param_offsets[i]) + " ";
    return s;
}

// Kernels of a parse of kernels.fatbin against the sources.
static void check_kernels(const ModuleImage& m, const std::map<std::string, std::vector<uint32_t>>& src,
                          const std::string& what) {
    const char* w = what.c_str();
    std::set<std::string> got, want;
    for (auto& k : m.kernels) got.insert(k.name);
    for (auto& [n, s] : src) want.insert(n);
    CHECK(got == want, "%s: %zu kernels in the image, %zu in the sources", w, got.size(), want.size());
    for (const std::string& n : want)
        if (!got.count(n)) fprintf(stderr, "  %s: missing %s\n", w, n.c_str());
    for (const std::string& n : got)
        if (!want.count(n)) fprintf(stderr, "  %s: unexpected %s\n", w, n.c_str());
    for (const KernelInfo& k : m.kernels) {
        auto it = src.find(k.name);
        if (it == src.end()) continue;
        std::vector<uint32_t> offs;  // C layout: each parameter aligned to its size
        uint32_t o = 0;
        for (uint32_t sz : it->second) offs.push_back(o = (o + sz - 1) / sz * sz), o += sz;
        CHECK(k.param_sizes == it->second && k.param_offsets == offs && k.param_bytes == o,
              "%s: %s has parameters %s(%u bytes)", w, k.name.c_str(), params_str(k).c_str(), k.param_bytes);
        CHECK(m.from_ptx ? k.registers == 0 : k.registers > 0 && k.registers <= 255, "%s: %s registers %u", w,
              k.name.c_str(), k.registers);
        CHECK(k.max_threads == 1024, "%s: %s max_threads %u", w, k.name.c_str(), k.max_threads);
        // vg_block_sum / vg_block_max declare 33 floats each; ptxas 11.8 adds
        // 1 KiB (reserved) to the shared memory of sm_90 kernels that use any.
        uint32_t sh = k.static_shared_bytes, extra = m.sm_major == 9 && sh ? 1024 : 0;
        CHECK(sh == 0 || sh == 132 + extra || sh == 264 + extra, "%s: %s shared %u", w, k.name.c_str(), sh);
    }
    struct {
        const char* name;
        uint32_t shared;
    } want_shared[] = {{"sum_last_f32", 132}, {"sum_partial_f32", 132}, {"max_last_f32", 132},
                       {"bias_act_backward_chan_f32", 132}, {"softmax_f32", 264}, {"log_softmax_f32", 264},
                       {"relu_f32", 0}, {"add_f32", 0}, {"add_bcast_f32", 0}, {"adam_f32", 0}, {"fill_f32", 0},
                       {"im2col_f32", 0}};
    for (auto& x : want_shared) {
        const KernelInfo* k = m.find(x.name);
        uint32_t want_sh = x.shared + (m.sm_major == 9 && x.shared ? 1024 : 0);
        CHECK(k && k->static_shared_bytes == want_sh, "%s: %s shared %u, want %u", w, x.name,
              k ? k->static_shared_bytes : 0, want_sh);
    }
    const KernelInfo* adam = m.find("adam_f32");
    CHECK(adam && adam->param_sizes == std::vector<uint32_t>({8, 8, 8, 8, 4, 8, 8, 8, 8}) &&
              adam->param_offsets == std::vector<uint32_t>({0, 8, 16, 24, 32, 40, 48, 56, 64}) &&
              adam->param_bytes == 72,
          "%s: adam_f32 %s", w, adam ? params_str(*adam).c_str() : "missing");
}

static void expect_error(const Bytes& b, int major, int minor, ImageError kind, const std::string& needle,
                         const std::string& what, bool known_len = true) {
    ModuleImage m;
    std::string err;
    bool ok = parse(b, major, minor, &m, &err, known_len);
    CHECK(!ok && m.error == kind && m.kernels.empty() && err.find(needle) != err.npos,
          "%s: ok=%d error=%d message '%s' (want kind %d with '%s')", what.c_str(), ok, int(m.error), err.c_str(),
          int(kind), needle.c_str());
}

// Parses b, which may be damaged: an error, or a consistent result.
static void survive(const Bytes& b, int major, int minor, const char* what) {
    ModuleImage m;
    std::string err;
    if (parse(b, major, minor, &m, &err)) {
        CHECK(m.error == ImageError::none && err.empty(), "%s", what);
        for (auto& k : m.kernels) CHECK(k.param_sizes.size() == k.param_offsets.size(), "%s: %s", what, k.name.c_str());
    } else {
        CHECK(m.error != ImageError::none && !err.empty(), "%s: failed without a message", what);
    }
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand() { return rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17; }

// Hand-written PTX: parameter layout, launch bounds, shared memory used
// through a function.
static const std::string ptx = R"(
// comment
.version 7.8
.target sm_75
.address_size 64
.shared .align 8 .b8 used_by_f[40];
.shared .align 4 .f32 unused;
.global .align 4 .b8 table[8] = {1, 2, 3, 4, 5, 6, 7, 8};
.func (.param .b32 r) f(.param .b32 a)
{
	mov.u32 %r1, used_by_f;
	ret;
}
.visible .entry pk(
	.param .u8 pk_param_0,
	.param .u16 pk_param_1,
	.param .f64 pk_param_2,
	.param .align 8 .b8 pk_param_3[32],
	.param .align 4 .b8 pk_param_4[12],
	.param .u64 .ptr .global .align 16 pk_param_5,
	.param .u8 pk_param_6
)
.maxntid 128, 2, 1
{
	.shared .align 4 .b8 local[12];
	call.uni (r), f, (a);
	ret;
}
.entry rq()
.reqntid 64
{
	ret;
}
)";

static void test_ptx() {
    Bytes b(ptx.begin(), ptx.end());
    b.push_back(0);
    for (bool known : {true, false}) {
        ModuleImage m;
        std::string err;
        bool ok = parse(b, 8, 6, &m, &err, known);
        CHECK(ok && m.from_ptx && m.sm_major == 7 && m.sm_minor == 5 && m.kernels.size() == 2 &&
                  m.image_bytes == b.size(),
              "PTX: %s", err.c_str());
        const KernelInfo* pk = m.find("pk");
        CHECK(pk && params_str(*pk) == "1@0 2@2 8@8 32@16 12@48 8@64 1@72 " && pk->param_bytes == 73 &&
                  pk->max_threads == 256 && pk->max_ntid[0] == 128 && pk->max_ntid[1] == 2 &&
                  pk->static_shared_bytes == 52 && pk->registers == 0,
              "PTX pk: %s %u bytes, %u threads, %u shared", pk ? params_str(*pk).c_str() : "missing",
              pk ? pk->param_bytes : 0, pk ? pk->max_threads : 0, pk ? pk->static_shared_bytes : 0);
        const KernelInfo* rq = m.find("rq");
        CHECK(rq && rq->param_sizes.empty() && rq->req_ntid[0] == 64 && rq->req_ntid[1] == 1 &&
                  rq->max_threads == 64 && rq->static_shared_bytes == 0,
              "PTX rq");
        CHECK(!m.find("f"), "a .func is not a kernel");
    }
    expect_error(b, 7, 0, ImageError::no_binary_for_gpu, "cannot be compiled", "PTX for a newer device");
    auto damaged = [&](const std::string& from, const std::string& to, const char* needle) {
        std::string t = ptx;
        t.replace(t.rfind(from), from.size(), to);
        expect_error(Bytes(t.begin(), t.end()), 8, 0, ImageError::invalid_ptx, needle, "PTX with " + to);
    };
    damaged(".version 7.8", "", "does not start with .version");
    damaged(".target sm_75", ".target compute_75", "unknown target");
    damaged("\tret;\n}\n", "\tret;\n", "missing '}'");
    damaged("pk_param_3[32]", "pk_param_3[]", "bad parameter declaration");
    damaged(".param .u16 pk_param_1", ".reg .u16 pk_param_1", "entry parameter is not .param");
    damaged("// comment", "/* comment", "unterminated comment");
    damaged(".maxntid 128, 2, 1", ".maxntid x", "expected a number");
}

// The LZ4-compressed fatbin: every entry (two cubins, one PTX) decompresses.
static void test_compressed(const Bytes& small) {
    // sm_86 SASS cannot run on 8.0: that takes the PTX.
    for (auto [major, minor, arch, is_ptx] :
         {std::tuple{8, 6, 86, false}, {7, 5, 70, false}, {8, 0, 70, true}, {10, 0, 70, true}}) {
        ModuleImage m;
        std::string err;
        bool ok = parse(small, major, minor, &m, &err);
        CHECK(ok && m.sm_major * 10 + m.sm_minor == arch && m.from_ptx == is_ptx && m.kernels.size() == 3,
              "compressed fatbin on %d.%d: %s", major, minor, err.c_str());
        const KernelInfo *k1 = m.find("k1"), *k2 = m.find("k2"), *k3 = m.find("k3");
        CHECK(k1 && params_str(*k1) == "8@0 8@8 4@16 8@24 1@32 2@34 " && k1->param_bytes == 36 &&
                  k1->static_shared_bytes == 308,
              "compressed k1 on %d.%d", major, minor);
        CHECK(k2 && params_str(*k2) == "32@0 8@32 " && k2->param_bytes == 40 && k2->max_threads == 256 &&
                  k2->static_shared_bytes == 0,
              "compressed k2 on %d.%d", major, minor);
        CHECK(k3 && k3->param_sizes.empty() && k3->param_bytes == 0, "compressed k3 on %d.%d", major, minor);
    }
    const std::vector<Raw> es = entries(small);
    CHECK(es.size() == 3 && (u64(small, es[2].off + 0x28) & 0x2000), "small fatbin layout");
    const size_t flags = es[2].off + 0x28;
    Bytes b = small;  // another compression method is detected and refused
    put64(b, flags, (u64(b, flags) & ~0x2000ull) | 0x8000);
    expect_error(b, 8, 6, ImageError::unsupported, "other than LZ4", "zstd flag");
    b = small;  // without its flag, the compressed ELF is no ELF
    put64(b, flags, u64(b, flags) & ~0x2000ull);
    expect_error(b, 8, 6, ImageError::invalid_image,
                 "fatbin entry 3 (sm_86 ELF, header at byte offset " + hex(es[2].off) + "): ELF: class", "no flag");
    b = small;
    put32(b, es[2].off + 0x10, u32(b, es[2].off + 0x10) - 1);
    expect_error(b, 8, 6, ImageError::invalid_image, "LZ4", "compressed size short by one");
    b = small;
    put64(b, es[2].off + 0x38, u64(b, es[2].off + 0x38) + 1);
    expect_error(b, 8, 6, ImageError::invalid_image, "LZ4", "uncompressed size long by one");
    b = small;
    put64(b, es[2].off + 0x38, 1ull << 40);
    expect_error(b, 8, 6, ImageError::invalid_image, "implausible", "huge uncompressed size");
    for (int i = 0; i < 3000; i++) {  // random damage to the compressed payloads
        b = small;
        const Raw& r = es[next_rand() % 3];
        for (int n = 1 + next_rand() % 3; n--;) b[r.data + next_rand() % r.payload] ^= 1 << next_rand() % 8;
        survive(b, r.arch / 10, r.arch % 10, "damaged compressed payload");
        survive(b, 10, 0, "damaged compressed payload (PTX)");
    }
}

// Damaged copies of the committed fatbin.
static void test_damage(const Bytes& fat, const std::vector<Raw>& es) {
    Bytes b = fat;
    b[0] ^= 1;
    expect_error(b, 8, 0, ImageError::invalid_image, "unknown image format: magic 0xba55ed51 at byte offset 0x0",
                 "bad magic");
    expect_error(Bytes{0x50, 0xed}, 8, 0, ImageError::invalid_image, "magic number at byte offset 0x0", "2 bytes");
    expect_error(Bytes(fat.begin(), fat.begin() + 16), 8, 0, ImageError::invalid_image, "only 16 are available",
                 "header only");
    for (size_t len = 4; len < fat.size(); len += len < 256 ? 1 : 1 + next_rand() % 9000) {
        Bytes t(fat.begin(), fat.begin() + len);
        expect_error(t, 8, 0, ImageError::invalid_image, "byte offset", "truncated fatbin");
        bool boundary = false;
        for (const Raw& r : es) boundary |= r.off == len;
        if (len > 16 && !boundary) {  // the header made to agree: the entries are cut
            put64(t, 8, len - 16);
            expect_error(t, 8, 0, ImageError::invalid_image, "byte offset", "truncated entries");
        }
    }
    b = fat;
    put32(b, 4, 2);
    expect_error(b, 8, 0, ImageError::invalid_image, "version 2 at byte offset 0x4", "version");
    b = fat;
    put64(b, 8, u64(b, 8) + 1);
    expect_error(b, 8, 0, ImageError::invalid_image,
                 "gives " + std::to_string(fat.size() + 1) + " bytes, only " + std::to_string(fat.size()),
                 "fat size + 1");
    b = fat;
    put64(b, 8, u64(b, 8) - 1);
    expect_error(b, 8, 0, ImageError::invalid_image, "runs past the end", "fat size - 1");
    b = fat;
    put64(b, 8, ~0ull);
    expect_error(b, 8, 0, ImageError::invalid_image, "implausible", "fat size huge");
    const Raw& e80 = es[3];  // entries come in the order of the -gencode options
    CHECK(es.size() == 5 && e80.kind == 2 && e80.arch == 80, "entry 4 is sm_80");
    b = fat;
    put32(b, e80.off + 4, 0);
    expect_error(b, 8, 0, ImageError::invalid_image, "header size 0 at byte offset " + hex(e80.off + 4),
                 "entry header size 0");
    b = fat;
    put32(b, e80.off + 4, 0xffffffff);
    expect_error(b, 8, 0, ImageError::invalid_image, "entry 4 header", "entry header size huge");
    b = fat;
    put64(b, e80.off + 8, u64(b, e80.off + 8) + 8);
    expect_error(b, 8, 0, ImageError::invalid_image, "byte offset", "payload size + 8");
    b = fat;
    put64(b, e80.off + 8, ~0ull);
    expect_error(b, 8, 0, ImageError::invalid_image, "entry 4 payload", "payload size huge");
    b = fat;
    put32(b, e80.off + 0x1c, 86);
    expect_error(b, 8, 6, ImageError::invalid_image, "ELF e_flags give sm_80, the entry says sm_86", "arch mismatch");
    b = fat;  // entries of unknown kinds are passed over
    for (const Raw& r : es) put32(b, r.off, 7 | 0x0101 << 16);
    expect_error(b, 8, 0, ImageError::no_binary_for_gpu, "(it has none)", "unknown kinds");

    // ELF fields of the sm_80 cubin.
    const size_t elf = e80.data, shoff = elf + u64(fat, elf + 0x28);
    const size_t shnum = fat[elf + 0x3c] | fat[elf + 0x3d] << 8;
    b = fat;
    put64(b, elf + 0x28, 1ull << 40);
    expect_error(b, 8, 0, ImageError::invalid_image, "section header table", "e_shoff");
    b = fat;
    b[elf + 0x12] = 62;
    expect_error(b, 8, 0, ImageError::invalid_image, "e_machine 62 at byte offset 0x12", "e_machine");
    b = fat;
    b[elf + 0x3e] = b[elf + 0x3f] = 0xff;
    expect_error(b, 8, 0, ImageError::invalid_image, "e_shstrndx", "e_shstrndx");
    b = fat;
    auto [info_index, info_hdr] = section(fat, elf, ".nv.info");
    put64(b, info_hdr + 0x20, 1ull << 33);
    expect_error(b, 8, 0, ImageError::invalid_image, "section " + std::to_string(info_index) + " ", "section size");
    // A kernel's KPARAM_INFO ordinals must be 0..n-1, once each.
    b = fat;
    size_t adam = section(fat, elf, ".nv.info.adam_f32").second, s = elf + u64(fat, adam + 0x18);
    for (size_t r = s; r < s + u64(fat, adam + 0x20); r += b[r] == 4 ? 4 + (b[r + 2] | b[r + 3] << 8) : 4)
        if (b[r + 1] == 0x17 && b[r + 8] == 3) b[r + 8] = 2;  // ordinal 3 -> 2
    expect_error(b, 8, 0, ImageError::invalid_image, "kernel adam_f32: parameter ordinal 2 repeated", "ordinal");
    for (int i = 0; i < 2000; i++) {  // random damage, often to the section headers
        b = fat;
        for (int n = 1 + next_rand() % 4; n--;) {
            size_t o = next_rand() % 3 == 0 ? shoff + next_rand() % (64 * shnum) : elf + next_rand() % e80.payload;
            b[o] ^= 1 << next_rand() % 8;
        }
        survive(b, 8, 0, "damaged sm_80 cubin");
    }
}

int main(int argc, char** argv) {
    std::string root = argc > 1 ? argv[1] : ".";
    auto src = source_kernels(root + "/cuda/kernels");
    CHECK(src.size() >= 100, "only %zu kernels found in the sources", src.size());
    const Bytes fat = read_file(root + "/cuda/kernels/kernels.fatbin");
    const std::vector<Raw> es = entries(fat);

    // The image chosen for various devices, and its kernels.
    struct {
        int major, minor, arch;
        bool ptx;
    } cases[] = {{9, 0, 90, false}, {8, 0, 80, false}, {8, 6, 80, false}, {8, 9, 80, false}, {7, 5, 70, false},
                 {7, 0, 70, false}, {6, 1, 60, false}, {10, 0, 70, true}, {12, 0, 70, true}};
    std::map<int, ModuleImage> by_arch;  // 0: the PTX
    for (auto& c : cases) {
        for (bool known : {true, false}) {
            ModuleImage m;
            std::string err, what = "kernels.fatbin on " + std::to_string(c.major) + "." + std::to_string(c.minor) +
                                    (known ? "" : " (no length)");
            bool ok = parse(fat, c.major, c.minor, &m, &err, known);
            CHECK(ok, "%s: %s", what.c_str(), err.c_str());
            if (!ok) continue;
            CHECK(m.sm_major * 10 + m.sm_minor == c.arch && m.from_ptx == c.ptx && m.image_bytes == fat.size(),
                  "%s: chose %s%d%d (%zu bytes)", what.c_str(), m.from_ptx ? "compute_" : "sm_", m.sm_major,
                  m.sm_minor, m.image_bytes);
            check_kernels(m, src, what);
            by_arch[c.ptx ? 0 : c.arch] = m;
        }
    }
    expect_error(fat, 5, 0, ImageError::no_binary_for_gpu,
                 "no image for a device of compute capability 5.0 (it has sm_60, sm_70, compute_70, sm_80, sm_90)",
                 "sm_50");
    expect_error(fat, 3, 5, ImageError::no_binary_for_gpu, "3.5", "sm_35");

    // The PTX (JIT) view agrees with the SASS built from it, registers apart.
    for (int arch : {60, 70, 80, 90}) {
        for (const KernelInfo& p : by_arch[0].kernels) {
            const KernelInfo* s = by_arch[arch].find(p.name);
            uint32_t extra = arch == 90 && p.static_shared_bytes ? 1024 : 0;
            CHECK(s && s->param_sizes == p.param_sizes && s->param_offsets == p.param_offsets &&
                      s->param_bytes == p.param_bytes && s->static_shared_bytes == p.static_shared_bytes + extra &&
                      s->max_threads == p.max_threads,
                  "sm_%d vs PTX: %s", arch, p.name.c_str());
        }
    }

    // Bare cubins cut out of the fatbin, with and without a length.
    for (const Raw& r : es) {
        if (r.kind != 2) continue;
        Bytes elf(fat.begin() + r.data, fat.begin() + r.data + r.payload);
        std::string what = "bare sm_" + std::to_string(r.arch);
        size_t extent = elf.size();
        for (bool known : {true, false}) {
            ModuleImage m;
            std::string err;
            bool ok = parse(elf, r.arch / 10, r.arch % 10, &m, &err, known);
            extent = m.image_bytes;
            CHECK(ok && !m.from_ptx && m.sm_major * 10 + m.sm_minor == int(r.arch) && extent <= elf.size() &&
                      extent + 8 > elf.size(),
                  "%s: %s (%zu of %zu bytes)", what.c_str(), err.c_str(), extent, elf.size());
            if (ok) check_kernels(m, src, what);
        }
        expect_error(elf, r.arch / 10 + 1, 0, ImageError::no_binary_for_gpu, "cannot run on a device",
                     what + " on a newer major");
        // Every cut of the ELF short of its end fails.
        for (size_t len = 1; len < extent; len += len < 128 ? 1 : 1 + next_rand() % 4096)
            expect_error(Bytes(elf.begin(), elf.begin() + len), r.arch / 10, r.arch % 10, ImageError::invalid_image,
                         "byte offset", what + " cut at " + std::to_string(len));
    }

    test_ptx();
    test_compressed(read_file(root + "/cuda/emu/driver/test/fatbin_test_kernels.fatbin"));
    test_damage(fat, es);

    // Nothing that is not an image.
    expect_error(Bytes{'h', 'e', 'l', 'l', 'o', 0}, 8, 0, ImageError::invalid_image, "unknown image format", "text");
    ModuleImage m;
    std::string err;
    CHECK(!vgemu::parse_module_image(nullptr, 0, 8, 0, &m, &err) && err.find("null") != err.npos, "null");

    printf("fatbin_test: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
