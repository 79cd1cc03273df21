// Module image parser (see fatbin.h). All numbers are little-endian. The
// layouts below were checked against nvcc/ptxas/fatbinary/cuobjdump 11.8 (by
// dumping images, and by patching bytes and reading cuobjdump's decoding).
//
// Fatbin header (16 bytes):
//   0x00 u32 magic 0xBA55ED50   0x04 u16 version 1   0x06 u16 header size 16
//   0x08 u64 bytes of entries after the header (image = header size + this)
// Entries follow back to back; each is a header, then its payload:
//   0x00 u16 kind: 1 PTX, 2 ELF (cubin)   0x02 u16 0x0101
//   0x04 u32 header size (64 for ELF; 72 for PTX, which adds the pair below)
//   0x08 u64 payload size, padded to 8; next entry at entry + header + this
//   0x10 u32 compressed payload size (0 when not compressed)
//   0x14 u32 offset in the header of the {u32 offset, u32 length} pair that
//        locates the ptxas options string (PTX: 0x40; ELF: 0)
//   0x18 u16 minor, 0x1a u16 major: cubin format 1.7, or PTX ISA (7.8)
//   0x1c u32 arch: 10*major + minor (60, 70, 80, 90, ...)
//   0x20 u32 offset, 0x24 u32 length of the -ident name (0, 0 if none)
//   0x28 u64 flags: 0x1 64-bit, 0x2 debug, 0x10 linux host, 0x2000 payload
//        LZ4-compressed (fatbinary --compress, the default for PTX; newer
//        toolkits' zstd, flag 0x8000, is detected and refused)
//   0x30 u64 0   0x38 u64 uncompressed size (0 when not compressed)
// A compressed payload is one raw LZ4 block (no frame) of the compressed size.
//
// Cubin: ELF64, e_machine 190 (EM_CUDA), OS/ABI 0x33, ABI version 7 with the
// SM in e_flags & 0xff (version 8, newer toolkits: (e_flags >> 8) & 0xff).
// Kernels are the .symtab STT_FUNC symbols with st_other bit 0x10; their
// section .text.<name> carries the register count in sh_info >> 24 (low bits:
// the symbol index). .nv.shared.<name> (NOBITS) is the static shared memory;
// for sm_90 ptxas 11.8 counts 1 KiB more in it when the kernel uses any.
// .nv.info and .nv.info.<name> hold records: u8 format, u8 attribute, then
// format 4 (SVAL): u16 size + that many bytes; others: a u16 value (4 bytes).
// Attributes used (cuobjdump names):
//   0x05 MAX_THREADS  SVAL u32 x, y, z (__launch_bounds__, .maxntid)
//   0x0a PARAM_CBANK  SVAL u32 symbol, u16 offset in bank 0, u16 size
//   0x10 REQNTID      SVAL u32 x, y, z (.reqntid)
//   0x17 KPARAM_INFO  SVAL u32 index, u16 ordinal, u16 offset, u32 w with
//        w & 0xff pointee log2 alignment, (w >> 8) & 0xf space, (w >> 12) &
//        0x1f cbank, bit 17 parameter space (0 constant bank, 1 smem),
//        w >> 18 size in bytes
//   0x19 CBANK_PARAM_SIZE  HVAL parameter block size
//   0x2f REGCOUNT (in .nv.info)  SVAL u32 symbol, u32 registers
#include "fatbin.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

namespace vgemu {
namespace {

static_assert(std::endian::native == std::endian::little);
using std::to_string;

struct Fail {
    ImageError kind;
    std::string msg;
};

[[noreturn]] void fail(ImageError k, std::string msg) { throw Fail{k, std::move(msg)}; }
[[noreturn]] void bad(std::string msg) { fail(ImageError::invalid_image, std::move(msg)); }

std::string hex(uint64_t v) {
    char b[24];
    snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
    return b;
}
std::string at(uint64_t off) { return " at byte offset " + hex(off); }
std::string cc(int major, int minor) {
    return "a device of compute capability " + to_string(major) + "." + to_string(minor);
}

template <class T>
T rd(const uint8_t* p) {
    T v;
    memcpy(&v, p, sizeof v);
    return v;
}

// A bounded byte range; n is SIZE_MAX when the length is not known.
struct Buf {
    const uint8_t* p;
    size_t n;
    const char* what;
    void need(uint64_t off, uint64_t len, const std::string& item) const {
        if (off > n || len > n - off)
            bad(std::string(what) + ": " + item + at(off) + " (" + to_string(len) + " bytes) runs past the end (" +
                to_string(n) + " bytes)");
    }
};

// ---- LZ4 ----------------------------------------------------------------

// Decodes the LZ4 block src[0, n) into exactly cap bytes of dst.
void lz4_decode(const uint8_t* src, size_t n, uint8_t* dst, size_t cap) {
    size_t i = 0, o = 0;
    auto wrong = [&](const std::string& why) { bad("LZ4 data: " + why + at(i) + " of the compressed payload"); };
    auto length = [&](size_t len) {  // 15: add bytes up to one below 255
        if (len != 15) return len;
        for (;;) {
            if (i >= n) wrong("truncated length");
            uint8_t b = src[i++];
            len += b;
            if (len > cap) wrong("length beyond the uncompressed size");
            if (b != 255) return len;
        }
    };
    while (i < n) {
        uint8_t tok = src[i++];
        size_t lit = length(tok >> 4);
        if (lit > n - i || lit > cap - o) wrong("literals run past the end");
        memcpy(dst + o, src + i, lit);
        i += lit, o += lit;
        if (i == n) break;  // the last sequence has literals only
        if (n - i < 2) wrong("truncated match offset");
        size_t off = rd<uint16_t>(src + i);
        i += 2;
        if (off == 0 || off > o) wrong("match offset outside the output");
        size_t len = length(tok & 15) + 4;
        if (len > cap - o) wrong("match runs past the uncompressed size");
        for (size_t k = 0; k < len; k++, o++) dst[o] = dst[o - off];
    }
    if (o != cap) wrong("decompressed to " + to_string(o) + " bytes, not " + to_string(cap) + ",");
}

// ---- kernels ------------------------------------------------------------

struct Param {
    uint32_t ordinal, offset, size;
};

// Stores ps into k by ordinal, checking they are 0..n-1 once each and lie in
// the k->param_bytes-byte block (computed when have_bytes is false).
void set_params(KernelInfo* k, std::vector<Param> ps, bool have_bytes, const std::string& where) {
    std::sort(ps.begin(), ps.end(), [](auto& a, auto& b) { return a.ordinal < b.ordinal; });
    uint32_t end = 0;
    for (size_t i = 0; i < ps.size(); i++) {
        if (ps[i].ordinal != i)
            bad(where + ": parameter ordinal " + to_string(ps[i].ordinal) +
                (ps[i].ordinal < i ? " repeated" : " skips one"));
        end = std::max(end, ps[i].offset + ps[i].size);
        k->param_offsets.push_back(ps[i].offset);
        k->param_sizes.push_back(ps[i].size);
    }
    if (!have_bytes) k->param_bytes = end;
    if (end > k->param_bytes)
        bad(where + ": parameters end at byte " + to_string(end) + " of a " + to_string(k->param_bytes) +
            "-byte parameter block");
}

void set_threads(KernelInfo* k) {
    for (const uint32_t* d : {k->max_ntid, k->req_ntid})
        if (d[0]) k->max_threads = std::min<uint64_t>(k->max_threads, uint64_t(d[0]) * d[1] * d[2]);
}

void add_kernel(ModuleImage* out, KernelInfo k, const std::string& where) {
    for (const KernelInfo& o : out->kernels)
        if (o.name == k.name) bad(where + ": defined twice");
    out->kernels.push_back(std::move(k));
}

// ---- cubin (ELF) --------------------------------------------------------

struct Sec {
    std::string name;
    uint32_t type, link, info;
    uint64_t off, size;
};

// Parses the cubin in b (b.n: its bound, SIZE_MAX if unknown); returns its
// arch (10*major + minor) and sets out->kernels and out->image_bytes.
int parse_elf(Buf b, ModuleImage* out) {
    b.need(0, 64, "ELF header");
    const uint8_t* p = b.p;
    if (p[4] != 2) bad("ELF: class " + to_string(p[4]) + at(4) + " is not ELF64");
    if (p[5] != 1) bad("ELF: data encoding " + to_string(p[5]) + at(5) + " is not little-endian");
    uint16_t type = rd<uint16_t>(p + 0x10), machine = rd<uint16_t>(p + 0x12);
    if (machine != 190) bad("ELF: e_machine " + to_string(machine) + at(0x12) + " is not EM_CUDA (190)");
    if (type != 1 && type != 2) bad("ELF: e_type " + to_string(type) + at(0x10) + " is not ET_REL or ET_EXEC");
    uint32_t flags = rd<uint32_t>(p + 0x30);
    if (p[8] != 7 && p[8] != 8) bad("ELF: CUDA ABI version " + to_string(p[8]) + at(8) + " is not 7 or 8");
    int arch = p[8] == 7 ? flags & 0xff : (flags >> 8) & 0xff;
    uint64_t phoff = rd<uint64_t>(p + 0x20), shoff = rd<uint64_t>(p + 0x28);
    uint16_t phentsize = rd<uint16_t>(p + 0x36), phnum = rd<uint16_t>(p + 0x38);
    uint16_t shentsize = rd<uint16_t>(p + 0x3a), shnum = rd<uint16_t>(p + 0x3c);
    uint16_t shstrndx = rd<uint16_t>(p + 0x3e);
    if (shentsize != 64) bad("ELF: e_shentsize " + to_string(shentsize) + at(0x3a) + " is not 64");
    if (shnum == 0 || shstrndx >= shnum)
        bad("ELF: e_shnum " + to_string(shnum) + " / e_shstrndx " + to_string(shstrndx) + at(0x3c) + " are invalid");
    b.need(shoff, uint64_t(shnum) * 64, "section header table");
    uint64_t extent = std::max<uint64_t>(64, shoff + uint64_t(shnum) * 64);
    if (phnum) {
        b.need(phoff, uint64_t(phnum) * phentsize, "program header table");
        extent = std::max(extent, phoff + uint64_t(phnum) * phentsize);
    }
    std::vector<Sec> secs(shnum);
    std::vector<uint32_t> name_off(shnum);
    for (int i = 0; i < shnum; i++) {
        const uint8_t* h = p + shoff + uint64_t(i) * 64;
        Sec& s = secs[i];
        name_off[i] = rd<uint32_t>(h);
        s.type = rd<uint32_t>(h + 4);
        s.off = rd<uint64_t>(h + 0x18);
        s.size = rd<uint64_t>(h + 0x20);
        s.link = rd<uint32_t>(h + 0x28);
        s.info = rd<uint32_t>(h + 0x2c);
        if (s.type != 0 && s.type != 8 /*NOBITS*/) {
            b.need(s.off, s.size, "section " + to_string(i) + " (header" + at(shoff + i * 64) + ")");
            extent = std::max(extent, s.off + s.size);
        }
    }
    // The NUL-terminated string at off of STRTAB section sec.
    auto str = [&](int sec, uint32_t off, const char* what) -> std::string {
        const Sec& s = secs[sec];
        if (s.type != 3 || off >= s.size)
            bad(std::string("ELF: ") + what + " offset " + to_string(off) + " is outside string table section " +
                to_string(sec));
        const char* c = (const char*)p + s.off + off;
        const void* z = memchr(c, 0, s.size - off);
        if (!z) bad(std::string("ELF: ") + what + at(s.off + off) + " is not NUL-terminated");
        return std::string(c, (const char*)z);
    };
    std::map<std::string, int> by_name;
    int symtab = -1;
    for (int i = 0; i < shnum; i++) {
        secs[i].name = str(shstrndx, name_off[i], "section name");
        by_name.emplace(secs[i].name, i);
        if (secs[i].type == 2) symtab = i;
    }
    if (symtab < 0) bad("ELF: no symbol table");
    const Sec& st = secs[symtab];
    if (st.link >= shnum) bad("ELF: .symtab links to section " + to_string(st.link) + " of " + to_string(shnum));

    // Calls fn(attribute, format, value, value size, offset) per .nv.info record.
    auto records = [&](const Sec& s, auto fn) {
        if (s.type == 0 || s.type == 8) bad("ELF: " + s.name + " has no contents");
        for (uint64_t i = s.off, end = s.off + s.size; i < end;) {
            if (end - i < 4) bad("ELF: " + s.name + ": truncated record" + at(i));
            uint8_t fmt = p[i], attr = p[i + 1];
            uint16_t n = fmt == 4 ? rd<uint16_t>(p + i + 2) : 2;
            if (fmt == 4 && n > end - i - 4)
                bad("ELF: " + s.name + ": record of " + to_string(n) + " bytes" + at(i) + " runs past the section");
            fn(attr, fmt, p + i + (fmt == 4 ? 4 : 2), n, i);
            i += fmt == 4 ? 4 + n : 4;
        }
    };
    std::map<uint32_t, uint32_t> regcount;  // symbol index -> registers
    if (auto it = by_name.find(".nv.info"); it != by_name.end())
        records(secs[it->second], [&](uint8_t a, uint8_t f, const uint8_t* v, uint16_t n, uint64_t) {
            if (a == 0x2f && f == 4 && n >= 8) regcount[rd<uint32_t>(v)] = rd<uint32_t>(v + 4);
        });

    out->kernels.clear();
    for (uint64_t i = 0; i < st.size / 24; i++) {
        const uint8_t* y = p + st.off + i * 24;
        if ((y[4] & 0xf) != 2 /*STT_FUNC*/ || !(y[5] & 0x10) /*entry*/) continue;
        KernelInfo k;
        k.name = str(st.link, rd<uint32_t>(y), "symbol name");
        std::string where = "ELF: kernel " + k.name;
        uint16_t shndx = rd<uint16_t>(y + 6);
        if (shndx == 0 || shndx >= shnum || secs[shndx].name != ".text." + k.name)
            bad(where + ": symbol" + at(st.off + i * 24) + " is not in section .text." + k.name);
        k.registers = secs[shndx].info >> 24;
        if (auto r = regcount.find(i); r != regcount.end()) k.registers = r->second;
        if (auto s = by_name.find(".nv.shared." + k.name); s != by_name.end())
            k.static_shared_bytes = secs[s->second].size;
        auto inf = by_name.find(".nv.info." + k.name);
        if (inf == by_name.end()) bad(where + ": no section .nv.info." + k.name);
        std::vector<Param> ps;
        bool have_bytes = false;
        records(secs[inf->second], [&](uint8_t a, uint8_t f, const uint8_t* v, uint16_t n, uint64_t off) {
            auto need = [&](uint16_t m) {
                if (f != 4 || n < m)
                    bad(where + ": attribute " + hex(a) + at(off) + " has format " + to_string(f) + " and " +
                        to_string(n) + " bytes, expected 4 and " + to_string(m));
            };
            if (a == 0x17) {  // KPARAM_INFO
                need(12);
                ps.push_back({rd<uint16_t>(v + 4), rd<uint16_t>(v + 6), rd<uint32_t>(v + 8) >> 18});
            } else if (a == 0x19 && f != 4) {  // CBANK_PARAM_SIZE
                k.param_bytes = rd<uint16_t>(v), have_bytes = true;
            } else if (a == 0x0a && !have_bytes) {  // PARAM_CBANK
                need(8);
                k.param_bytes = rd<uint16_t>(v + 6), have_bytes = true;
            } else if (a == 0x05 || a == 0x10) {  // MAX_THREADS, REQNTID
                need(12);
                memcpy(a == 0x05 ? k.max_ntid : k.req_ntid, v, 12);
            }
        });
        set_params(&k, std::move(ps), have_bytes, where);
        set_threads(&k);
        add_kernel(out, std::move(k), where);
    }
    out->image_bytes = extent;
    return arch;
}

// ---- PTX ----------------------------------------------------------------

struct Tok {
    char k;  // 'i' identifier or directive, 'n' number, 's' string, else the punctuation itself
    std::string_view s;
    size_t off;
};

struct Ptx {
    std::string_view t;
    std::vector<Tok> toks{};
    size_t i = 0;

    [[noreturn]] void bad(size_t off, const std::string& why) const {
        size_t line = 1 + std::count(t.begin(), t.begin() + std::min(off, t.size()), '\n');
        fail(ImageError::invalid_ptx, "PTX: " + why + at(off) + " (line " + to_string(line) + ")");
    }
    static bool idc(char c) { return isalnum((unsigned char)c) || c == '_' || c == '$' || c == '.' || c == '%'; }

    void lex() {
        for (size_t j = 0; j < t.size();) {
            size_t s = j;
            char c = t[j], k = c;
            if (isspace((unsigned char)c)) {
                j++;
                continue;
            } else if (t.substr(j, 2) == "//") {
                j = std::min(t.size(), t.find('\n', j));
                continue;
            } else if (t.substr(j, 2) == "/*") {
                if ((j = t.find("*/", j + 2)) == t.npos) bad(s, "unterminated comment");
                j += 2;
                continue;
            } else if (c == '"') {
                if ((j = t.find('"', j + 1)) == t.npos) bad(s, "unterminated string");
                j++, k = 's';
            } else if (idc(c)) {
                k = isdigit((unsigned char)c) ? 'n' : 'i';
                while (j < t.size() && idc(t[j])) j++;
            } else {
                j++;
            }
            toks.push_back({k, t.substr(s, j - s), s});
        }
    }
    bool is(std::string_view s) const { return i < toks.size() && toks[i].s == s; }
    const Tok& next(const char* what) {
        if (i >= toks.size()) bad(t.size(), std::string("text ends before ") + what);
        return toks[i++];
    }
    uint64_t number(const char* what) {
        const Tok& x = next(what);
        std::string s(x.s);
        char* e;
        unsigned long long v = strtoull(s.c_str(), &e, 0);
        if (x.k != 'n' || *e) bad(x.off, std::string("expected a number for ") + what + ", got '" + s + "'");
        return v;
    }
    // The index past the bracket that closes the one at j.
    size_t close(size_t j) const {
        char o = toks[j].k, c = o == '(' ? ')' : o == '{' ? '}' : ']';
        for (int d = 0; j < toks.size(); j++)
            if (toks[j].k == o) d++;
            else if (toks[j].k == c && --d == 0) return j + 1;
        bad(toks.back().off, std::string("missing '") + c + "'");
    }
};

// Byte size of a PTX scalar type (0: not one).
uint32_t type_size(std::string_view s) {
    static const std::map<std::string_view, uint32_t> m = {
        {".b8", 1},  {".u8", 1},  {".s8", 1},  {".b16", 2}, {".u16", 2}, {".s16", 2},   {".f16", 2},
        {".bf16", 2}, {".b32", 4}, {".u32", 4}, {".s32", 4}, {".f32", 4}, {".f16x2", 4}, {".bf16x2", 4},
        {".b64", 8}, {".u64", 8}, {".s64", 8}, {".f64", 8}, {".b128", 16}};
    auto it = m.find(s);
    return it == m.end() ? 0 : it->second;
}

struct Var {
    std::string_view name;
    uint64_t size, align;
};

// Parses a .shared or .param declaration "[.align N] [.vN] .type name[dims]
// (, name[dims])*" from p.i to its end: ';' (consumed), or for a parameter
// ',' or ')' (not consumed). An .align after .ptr is the pointee's.
std::vector<Var> declare(Ptx& p, bool param) {
    uint64_t align = 0, elem = 0, vec = 1;
    bool ptr = false;
    std::vector<Var> vs;
    for (;;) {
        const Tok& x = p.next("the end of a declaration");
        if (x.s == ";" || (param && (x.s == "," || x.s == ")"))) {
            if (x.s != ";") p.i--;
            return vs;
        }
        if (x.s == ".align") {
            uint64_t a = p.number(".align");
            if (a == 0 || a > 4096) p.bad(x.off, ".align " + to_string(a) + " is out of range");
            if (!ptr) align = a;
        } else if (x.s == ".ptr") {
            ptr = true;
        } else if (x.s == ".v2" || x.s == ".v4" || x.s == ".v8") {
            vec = x.s[2] - '0';
        } else if (uint32_t sz = type_size(x.s)) {
            elem = sz * vec;
        } else if (x.k == 'i' && x.s[0] != '.') {
            if (!elem) p.bad(x.off, "'" + std::string(x.s) + "' declared without a type");
            uint64_t n = 1;
            while (p.is("[")) {
                p.i++;
                if (p.is("]")) n = 0;  // unsized: extern (dynamic) shared memory
                else n *= p.number("an array size");
                if (n > (1u << 30)) p.bad(x.off, "array '" + std::string(x.s) + "' is too large");
                if (p.next("']'").s != "]") p.bad(p.toks[p.i - 1].off, "expected ']'");
            }
            if (p.is("=")) p.bad(p.toks[p.i].off, "initializer of a .shared or .param variable");
            vs.push_back({x.s, elem * n, align ? align : elem});
        } else if (x.s != "," && x.s[0] != '.') {  // else a next name, or .shared, .extern, ...
            p.bad(x.off, "unexpected '" + std::string(x.s) + "' in a declaration");
        }
    }
}

struct Fn {
    bool entry = false;
    size_t body_begin = 0, body_end = 0;  // token range inside { }; 0, 0 for a prototype
    KernelInfo k{};
};

// Parses the .entry / .func at p.i (past the directive).
Fn function(Ptx& p, bool entry) {
    Fn f;
    f.entry = entry;
    if (!entry && p.is("(")) p.i = p.close(p.i);  // return value
    const Tok& n = p.next("a function name");
    if (n.k != 'i' || n.s[0] == '.') p.bad(n.off, "expected a function name");
    f.k.name = n.s;
    std::vector<Param> ps;
    uint32_t off = 0;
    if (p.is("(")) {
        size_t end = p.close(p.i) - 1;
        for (p.i++; entry && p.i < end;) {  // .func parameters do not matter
            const Tok& sp = p.next("a parameter");
            if (sp.s == ",") continue;
            if (sp.s != ".param") p.bad(sp.off, "entry parameter is not .param");
            std::vector<Var> vs = declare(p, true);
            if (vs.size() != 1 || vs[0].size == 0 || vs[0].size > 65536 || (vs[0].align & (vs[0].align - 1)))
                p.bad(sp.off, "bad parameter declaration");
            off = (off + vs[0].align - 1) & ~uint32_t(vs[0].align - 1);
            ps.push_back({uint32_t(ps.size()), off, uint32_t(vs[0].size)});
            off += vs[0].size;
        }
        p.i = end + 1;
    }
    f.k.param_bytes = off;
    set_params(&f.k, std::move(ps), true, "PTX: kernel " + f.k.name);
    while (!p.is("{") && !p.is(";")) {  // performance directives
        const Tok& d = p.next("a function body");
        if (d.s == ".entry" || d.s == ".func" || d.s == ".visible" || d.s == "}")
            p.bad(d.off, "function " + f.k.name + " has no body");
        if (d.s == ".maxntid" || d.s == ".reqntid") {
            uint32_t* dim = d.s == ".maxntid" ? f.k.max_ntid : f.k.req_ntid;
            dim[0] = dim[1] = dim[2] = 1;
            for (int j = 0; j < 3; j++) {
                dim[j] = p.number(".maxntid/.reqntid");
                if (!p.is(",")) break;
                p.i++;
            }
        }
    }
    if (p.is("{")) {
        f.body_begin = p.i + 1;
        p.i = p.close(p.i);
        f.body_end = p.i - 1;
    } else {
        p.i++;  // a prototype
    }
    set_threads(&f.k);
    return f;
}

// Parses PTX text t; returns its .target arch and sets out->kernels.
int parse_ptx(std::string_view t, ModuleImage* out) {
    Ptx p{t};
    p.lex();
    if (p.toks.empty() || p.toks[0].s != ".version") p.bad(0, "does not start with .version");
    int target = -1;
    std::vector<Var> shared;  // module scope, in declaration order
    std::vector<Fn> fns;
    while (p.i < p.toks.size()) {
        const Tok& x = p.toks[p.i++];
        if (x.s == ".target") {
            const Tok& a = p.next(".target");
            if (a.s.substr(0, 3) != "sm_" || !isdigit((unsigned char)a.s[3]))
                p.bad(a.off, "unknown target '" + std::string(a.s) + "'");
            target = atoi(std::string(a.s.substr(3)).c_str());
        } else if (x.s == ".shared") {
            for (Var& v : declare(p, false)) shared.push_back(v);
        } else if (x.s == "{") {  // an initializer
            p.i = p.close(p.i - 1);
        } else if (x.s == "}" || x.s == ")") {
            p.bad(x.off, "unbalanced '" + std::string(x.s) + "'");
        } else if (x.s == ".entry" || x.s == ".func") {
            fns.push_back(function(p, x.s == ".entry"));
        }
    }
    if (target < 0) p.bad(0, "no .target directive");

    // A kernel's static shared memory: the module variables that it, or a
    // function it calls, names, then its own, laid out in declaration order
    // (what ptxas does in simple cases; it may pad more).
    std::map<std::string_view, const Fn*> funcs;
    for (const Fn& f : fns)
        if (!f.entry && f.body_end) funcs[f.k.name] = &f;
    out->kernels.clear();
    for (Fn& f : fns) {
        if (!f.entry || !f.body_end) continue;
        std::set<std::string_view> names;
        std::vector<const Fn*> todo{&f};
        std::set<const Fn*> seen{&f};
        std::vector<Var> vars, locals;
        while (!todo.empty()) {
            const Fn* g = todo.back();
            todo.pop_back();
            for (size_t j = g->body_begin; j < g->body_end; j++) {
                const Tok& x = p.toks[j];
                if (x.s == ".shared" && g == &f) {
                    p.i = j + 1;
                    for (Var& v : declare(p, false)) locals.push_back(v);
                    j = p.i - 1;
                } else if (x.k == 'i') {
                    names.insert(x.s);
                    auto c = funcs.find(x.s);
                    if (c != funcs.end() && seen.insert(c->second).second) todo.push_back(c->second);
                }
            }
        }
        for (const Var& v : shared)
            if (names.count(v.name)) vars.push_back(v);
        vars.insert(vars.end(), locals.begin(), locals.end());
        uint64_t sh = 0;
        for (const Var& v : vars) sh = (sh + v.align - 1) / v.align * v.align + v.size;
        f.k.static_shared_bytes = uint32_t(sh);
        std::string where = "PTX: kernel " + f.k.name;
        add_kernel(out, std::move(f.k), where);
    }
    return target;
}

// ---- fatbin -------------------------------------------------------------

struct Entry {
    int index = 0;
    uint64_t off = 0, data = 0, payload = 0, csize = 0, usize = 0, flags = 0;
    uint16_t kind = 0;
    uint32_t arch = 0;
    std::string name() const { return (kind == 1 ? "compute_" : "sm_") + to_string(arch); }
};

void parse_fatbin(Buf b, int major, int minor, ModuleImage* out) {
    b.need(0, 16, "header");
    uint16_t version = rd<uint16_t>(b.p + 4), hsize = rd<uint16_t>(b.p + 6);
    uint64_t fsize = rd<uint64_t>(b.p + 8);
    if (version != 1) bad("fatbin: version " + to_string(version) + at(4) + " is not 1");
    if (hsize < 16) bad("fatbin: header size " + to_string(hsize) + at(6) + " is below 16");
    if (fsize > (uint64_t(1) << 40)) bad("fatbin: size " + to_string(fsize) + at(8) + " is implausible");
    uint64_t total = hsize + fsize;
    if (total > b.n)
        bad("fatbin: header" + at(8) + " gives " + to_string(total) + " bytes, only " + to_string(b.n) +
            " are available");
    b.n = total;
    std::vector<Entry> es;
    for (uint64_t off = hsize; off < total;) {
        Entry e{int(es.size()) + 1, off};
        std::string what = "entry " + to_string(e.index);
        b.need(off, 64, what + " header");
        const uint8_t* h = b.p + off;
        e.kind = rd<uint16_t>(h);
        uint32_t ehs = rd<uint32_t>(h + 4);
        e.payload = rd<uint64_t>(h + 8);
        e.csize = rd<uint32_t>(h + 0x10);
        e.arch = rd<uint32_t>(h + 0x1c);
        e.flags = rd<uint64_t>(h + 0x28);
        e.usize = rd<uint64_t>(h + 0x38);
        if (ehs < 64) bad("fatbin: " + what + " header size " + to_string(ehs) + at(off + 4) + " is below 64");
        b.need(off, ehs, what + " header");
        e.data = off + ehs;
        b.need(e.data, e.payload, what + " payload (size" + at(off + 8) + ")");
        es.push_back(e);
        off = e.data + e.payload;
    }
    // The driver's choice: SASS of the device's major with the highest minor
    // not above the device's, else the PTX of the highest arch not above it.
    const Entry* pick = nullptr;
    for (const Entry& e : es)
        if (e.kind == 2 && int(e.arch / 10) == major && int(e.arch % 10) <= minor && (!pick || e.arch > pick->arch))
            pick = &e;
    for (const Entry& e : es)
        if (e.kind == 1 && int(e.arch) <= major * 10 + minor && (!pick || (pick->kind == 1 && e.arch > pick->arch)))
            pick = &e;
    if (!pick) {
        std::string have;
        for (const Entry& e : es)
            if (e.kind == 1 || e.kind == 2) have += (have.empty() ? "" : ", ") + e.name();
        fail(ImageError::no_binary_for_gpu,
             "fatbin: no image for " + cc(major, minor) + " (it has " + (have.empty() ? "none" : have) + ")");
    }
    const Entry& e = *pick;
    std::vector<uint8_t> plain;
    Buf img{b.p + e.data, size_t(e.payload), e.kind == 1 ? "PTX" : "ELF"};
    try {
        if (e.flags & 0x2000) {
            if (e.csize == 0 || e.csize > e.payload)
                bad("compressed size " + to_string(e.csize) + at(e.off + 0x10) + " does not fit the " +
                    to_string(e.payload) + "-byte payload");
            if (e.usize == 0 || e.usize > uint64_t(e.csize) * 255 + 64)
                bad("uncompressed size " + to_string(e.usize) + at(e.off + 0x38) + " is implausible for " +
                    to_string(e.csize) + " compressed bytes");
            plain.resize(e.usize);
            lz4_decode(img.p, e.csize, plain.data(), plain.size());
            img.p = plain.data(), img.n = plain.size();
        } else if ((e.flags & 0x8000) || (e.payload >= 4 && rd<uint32_t>(img.p) == 0xFD2FB528)) {
            fail(ImageError::unsupported, "flags " + hex(e.flags) + at(e.off + 0x28) + ", payload" + at(e.data) +
                                              ": compressed with a method other than LZ4 (flag 0x2000), "
                                              "which is not supported");
        }
        out->sm_major = e.arch / 10, out->sm_minor = e.arch % 10;
        if (e.kind == 2) {
            int arch = parse_elf(img, out);
            if (uint32_t(arch) != e.arch)
                bad("ELF e_flags give sm_" + to_string(arch) + ", the entry says sm_" + to_string(e.arch));
        } else {
            parse_ptx(std::string_view((const char*)img.p, strnlen((const char*)img.p, img.n)), out);
            out->from_ptx = true;
        }
    } catch (Fail& f) {
        f.msg = "fatbin entry " + to_string(e.index) + " (" + e.name() + (e.kind == 1 ? " PTX" : " ELF") +
                ", header" + at(e.off) + (plain.empty() ? "" : "; offsets in the decompressed payload") +
                "): " + f.msg;
        throw;
    }
    out->image_bytes = total;
}

void parse(const uint8_t* p, size_t max_len, int major, int minor, ModuleImage* out) {
    if (!p) bad("image pointer is null");
    if (major < 1 || minor < 0 || minor > 9)
        fail(ImageError::no_binary_for_gpu, "bad compute capability " + to_string(major) + "." + to_string(minor));
    Buf b{p, max_len ? max_len : SIZE_MAX, "image"};
    b.need(0, 4, "magic number");
    uint32_t magic = rd<uint32_t>(p);
    if (magic == 0xBA55ED50) {
        b.what = "fatbin";
        return parse_fatbin(b, major, minor, out);
    }
    if (memcmp(p, "\x7f" "ELF", 4) == 0) {
        b.what = "ELF";
        int arch = parse_elf(b, out);
        out->sm_major = arch / 10, out->sm_minor = arch % 10;
        if (out->sm_major != major || out->sm_minor > minor)
            fail(ImageError::no_binary_for_gpu, "cubin for sm_" + to_string(arch) + " cannot run on " + cc(major, minor));
        return;
    }
    size_t j = 0;  // PTX text starts, after blanks, with a comment or .version
    while (j < b.n && j < 4096 && isspace(p[j])) j++;
    if (j < b.n && (p[j] == '/' || p[j] == '.')) {
        size_t len = strnlen((const char*)p, b.n);  // with a known length, the NUL may be missing
        int target = parse_ptx(std::string_view((const char*)p, len), out);
        out->sm_major = target / 10, out->sm_minor = target % 10, out->from_ptx = true;
        out->image_bytes = std::min(len + 1, b.n);
        if (target > major * 10 + minor)
            fail(ImageError::no_binary_for_gpu, "PTX for sm_" + to_string(target) + " cannot be compiled for " +
                                                    cc(major, minor));
        return;
    }
    bad("unknown image format: magic " + hex(magic) + at(0) + " (expected fatbin 0xba55ed50, ELF or PTX text)");
}

}  // namespace

bool parse_module_image(const void* data, size_t max_len, int major, int minor, ModuleImage* out,
                        std::string* err) {
    if (!out) return false;
    *out = ModuleImage{};
    try {
        parse(static_cast<const uint8_t*>(data), max_len, major, minor, out);
        return true;
    } catch (Fail& f) {
        *out = ModuleImage{};
        out->error = f.kind;
        if (err) *err = std::move(f.msg);
    } catch (std::bad_alloc&) {
        *out = ModuleImage{};
        out->error = ImageError::invalid_image;
        if (err) *err = "out of memory while parsing the image";
    }
    return false;
}

}  // namespace vgemu
