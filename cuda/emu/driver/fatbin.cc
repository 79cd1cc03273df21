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
// the symbol index). .nv.shared.<name> (NOBITS) is the static shared memory.
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
//   0x19 CBANK_PARAM_SIZE  u16 parameter block size
//   0x2f REGCOUNT (in .nv.info)  SVAL u32 symbol, u32 registers
#include "fatbin.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

namespace vgemu {
namespace {

static_assert(std::endian::native == std::endian::little);

struct Fail {
  ImageError kind;
  std::string msg;
};

[[noreturn]] void fail(ImageError k, std::string msg) { throw Fail{k, std::move(msg)}; }

std::string hex(uint64_t v) {
  char b[24];
  snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
  return b;
}
std::string at(uint64_t off) { return " at byte offset " + hex(off); }

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
      fail(ImageError::invalid_image, std::string(what) + ": " + item + at(off) + " (" +
                                          std::to_string(len) + " bytes) runs past the end (" +
                                          std::to_string(n) + " bytes)");
  }
  template <class T>
  T get(uint64_t off, const std::string& item) const {
    need(off, sizeof(T), item);
    return rd<T>(p + off);
  }
};

// ---- LZ4 block decoding -------------------------------------------------

// Decodes the LZ4 block src[0, n) into exactly cap bytes of dst.
void lz4_decode(const uint8_t* src, size_t n, uint8_t* dst, size_t cap) {
  size_t i = 0, o = 0;
  auto bad = [&](const char* why) {
    fail(ImageError::invalid_image,
         std::string("LZ4 data: ") + why + at(i) + " of the compressed payload");
  };
  auto length = [&](size_t len) {  // 15 means: add bytes until one is < 255
    if (len != 15) return len;
    for (;;) {
      if (i >= n) bad("truncated length");
      uint8_t b = src[i++];
      len += b;
      if (len > cap) bad("length beyond the uncompressed size");
      if (b != 255) return len;
    }
  };
  while (i < n) {
    uint8_t tok = src[i++];
    size_t lit = length(tok >> 4);
    if (lit > n - i || lit > cap - o) bad("literals run past the end");
    memcpy(dst + o, src + i, lit);
    i += lit, o += lit;
    if (i == n) break;  // the last sequence has literals only
    if (n - i < 2) bad("truncated match offset");
    size_t off = rd<uint16_t>(src + i);
    i += 2;
    if (off == 0 || off > o) bad("match offset outside the output");
    size_t len = length(tok & 15) + 4;
    if (len > cap - o) bad("match runs past the uncompressed size");
    for (size_t k = 0; k < len; k++, o++) dst[o] = dst[o - off];
  }
  if (o != cap)
    fail(ImageError::invalid_image, "LZ4 data: decompressed to " + std::to_string(o) +
                                        " bytes, the header says " + std::to_string(cap));
}

// ---- parameters ---------------------------------------------------------

struct Param {
  uint32_t ordinal, offset, size;
};

// Orders params by ordinal into k and checks they are 0..n-1, each once,
// inside the block of k->param_bytes bytes (computed when have_bytes is off).
void set_params(KernelInfo* k, std::vector<Param> ps, bool have_bytes, const std::string& where) {
  std::sort(ps.begin(), ps.end(), [](auto& a, auto& b) { return a.ordinal < b.ordinal; });
  uint32_t end = 0;
  for (size_t i = 0; i < ps.size(); i++) {
    if (ps[i].ordinal != i)
      fail(ImageError::invalid_image, where + ": parameter ordinal " +
                                          std::to_string(ps[i].ordinal) +
                                          (ps[i].ordinal < i ? " repeated" : " skips one"));
    end = std::max(end, ps[i].offset + ps[i].size);
    k->param_offsets.push_back(ps[i].offset);
    k->param_sizes.push_back(ps[i].size);
  }
  if (!have_bytes) k->param_bytes = end;
  if (end > k->param_bytes)
    fail(ImageError::invalid_image, where + ": parameters end at byte " + std::to_string(end) +
                                        " of a " + std::to_string(k->param_bytes) +
                                        "-byte parameter block");
}

void set_threads(KernelInfo* k) {
  for (const uint32_t* d : {k->max_ntid, k->req_ntid})
    if (d[0]) k->max_threads = std::min<uint64_t>(k->max_threads, uint64_t(d[0]) * d[1] * d[2]);
}

// ---- cubin (ELF) --------------------------------------------------------

struct Sec {
  std::string name;
  uint32_t type, link, info;
  uint64_t off, size;
};

// Parses the cubin at b (b.n: its bound, SIZE_MAX if unknown). Returns its SM
// arch (10*major + minor) and sets out->kernels and out->image_bytes.
int parse_elf(Buf b, ModuleImage* out) {
  b.need(0, 64, "ELF header");
  const uint8_t* p = b.p;
  if (p[4] != 2) fail(ImageError::invalid_image, "ELF: class " + std::to_string(p[4]) + at(4) + " is not ELF64");
  if (p[5] != 1) fail(ImageError::invalid_image, "ELF: data encoding " + std::to_string(p[5]) + at(5) + " is not little-endian");
  uint16_t type = rd<uint16_t>(p + 0x10), machine = rd<uint16_t>(p + 0x12);
  if (machine != 190) fail(ImageError::invalid_image, "ELF: e_machine " + std::to_string(machine) + at(0x12) + " is not EM_CUDA (190)");
  if (type != 1 && type != 2) fail(ImageError::invalid_image, "ELF: e_type " + std::to_string(type) + at(0x10) + " is neither ET_REL nor ET_EXEC");
  uint32_t flags = rd<uint32_t>(p + 0x30);
  int arch;
  if (p[8] == 7) arch = flags & 0xff;
  else if (p[8] == 8) arch = (flags >> 8) & 0xff;
  else fail(ImageError::invalid_image, "ELF: CUDA ABI version " + std::to_string(p[8]) + at(8) + " is not 7 or 8");
  uint64_t phoff = rd<uint64_t>(p + 0x20), shoff = rd<uint64_t>(p + 0x28);
  uint16_t phentsize = rd<uint16_t>(p + 0x36), phnum = rd<uint16_t>(p + 0x38);
  uint16_t shentsize = rd<uint16_t>(p + 0x3a), shnum = rd<uint16_t>(p + 0x3c), shstrndx = rd<uint16_t>(p + 0x3e);
  if (shentsize != 64) fail(ImageError::invalid_image, "ELF: e_shentsize " + std::to_string(shentsize) + at(0x3a) + " is not 64");
  if (shnum == 0 || shstrndx >= shnum) fail(ImageError::invalid_image, "ELF: e_shnum " + std::to_string(shnum) + " / e_shstrndx " + std::to_string(shstrndx) + at(0x3c) + " are invalid");
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
    if (s.type != 8 /*NOBITS*/ && s.type != 0) {
      b.need(s.off, s.size, "section " + std::to_string(i) + " (header" + at(shoff + i * 64) + ")");
      extent = std::max(extent, s.off + s.size);
    }
  }
  // Strings of a STRTAB section, checked to end inside it.
  auto str = [&](int sec, uint32_t off, const char* what) -> std::string {
    const Sec& s = secs[sec];
    if (s.type != 3 || off >= s.size)
      fail(ImageError::invalid_image, std::string("ELF: ") + what + " offset " + std::to_string(off) + " is outside string table section " + std::to_string(sec));
    const char* c = (const char*)p + s.off + off;
    const void* z = memchr(c, 0, s.size - off);
    if (!z) fail(ImageError::invalid_image, std::string("ELF: ") + what + at(s.off + off) + " is not NUL-terminated");
    return std::string(c, (const char*)z);
  };
  std::map<std::string, int> by_name;
  int symtab = -1;
  for (int i = 0; i < shnum; i++) {
    secs[i].name = str(shstrndx, name_off[i], "section name");
    by_name.emplace(secs[i].name, i);
    if (secs[i].type == 2) symtab = i;
  }
  if (symtab < 0) fail(ImageError::invalid_image, "ELF: no symbol table");
  const Sec& st = secs[symtab];
  if (st.link >= shnum) fail(ImageError::invalid_image, "ELF: .symtab links to section " + std::to_string(st.link) + " of " + std::to_string(shnum));

  // Record walker of .nv.info sections: fn(attribute, format, value, size, offset).
  auto records = [&](const Sec& s, auto fn) {
    if (s.type == 0 || s.type == 8) fail(ImageError::invalid_image, "ELF: " + s.name + " has no contents");
    for (uint64_t i = s.off, end = s.off + s.size; i < end;) {
      if (end - i < 4) fail(ImageError::invalid_image, "ELF: " + s.name + ": truncated record" + at(i));
      uint8_t fmt = p[i], attr = p[i + 1];
      uint16_t v = rd<uint16_t>(p + i + 2);
      if (fmt == 4) {
        if (v > end - i - 4) fail(ImageError::invalid_image, "ELF: " + s.name + ": record of " + std::to_string(v) + " bytes" + at(i) + " runs past the section");
        fn(attr, fmt, p + i + 4, v, i);
        i += 4 + v;
      } else {
        fn(attr, fmt, p + i + 2, 2, i);
        i += 4;
      }
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
      fail(ImageError::invalid_image, where + ": symbol" + at(st.off + i * 24) + " is not in section .text." + k.name);
    k.registers = secs[shndx].info >> 24;
    if (auto r = regcount.find(i); r != regcount.end()) k.registers = r->second;
    if (auto s = by_name.find(".nv.shared." + k.name); s != by_name.end()) k.static_shared_bytes = secs[s->second].size;
    auto inf = by_name.find(".nv.info." + k.name);
    if (inf == by_name.end()) fail(ImageError::invalid_image, where + ": no section .nv.info." + k.name);
    std::vector<Param> ps;
    bool have_bytes = false;
    records(secs[inf->second], [&](uint8_t a, uint8_t f, const uint8_t* v, uint16_t n, uint64_t off) {
      auto need = [&](uint16_t m) {
        if (f != 4 || n < m) fail(ImageError::invalid_image, where + ": attribute " + hex(a) + at(off) + " has format " + std::to_string(f) + " and " + std::to_string(n) + " bytes, expected " + std::to_string(m));
      };
      if (a == 0x17) {  // KPARAM_INFO
        need(12);
        uint32_t w = rd<uint32_t>(v + 8);
        ps.push_back({rd<uint16_t>(v + 4), rd<uint16_t>(v + 6), w >> 18});
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
    for (const KernelInfo& o : out->kernels)
      if (o.name == k.name) fail(ImageError::invalid_image, where + ": defined twice");
    out->kernels.push_back(std::move(k));
  }
  out->image_bytes = extent;
  return arch;
}

// ---- PTX ----------------------------------------------------------------

struct Tok {
  char k;  // 'i' identifier or directive, 'n' number, 's' string, else the punctuation
  std::string_view s;
  size_t off;
};

struct Ptx {
  std::string_view t;
  std::vector<Tok> toks{};
  size_t i = 0;

  [[noreturn]] void bad(size_t off, const std::string& why) {
    size_t line = 1 + std::count(t.begin(), t.begin() + std::min(off, t.size()), '\n');
    fail(ImageError::invalid_ptx, "PTX: " + why + at(off) + " (line " + std::to_string(line) + ")");
  }
  static bool idc(char c) { return isalnum((unsigned char)c) || c == '_' || c == '$' || c == '.' || c == '%'; }

  void lex() {
    for (size_t j = 0; j < t.size();) {
      char c = t[j];
      if (isspace((unsigned char)c)) { j++; continue; }
      if (t.substr(j, 2) == "//") { j = t.find('\n', j); if (j == t.npos) break; continue; }
      if (t.substr(j, 2) == "/*") {
        size_t e = t.find("*/", j + 2);
        if (e == t.npos) bad(j, "unterminated comment");
        j = e + 2;
        continue;
      }
      size_t s = j;
      char k = c;
      if (c == '"') {
        j = t.find('"', j + 1);
        if (j == t.npos) bad(s, "unterminated string");
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
    char* e;
    std::string s(x.s);
    unsigned long long v = strtoull(s.c_str(), &e, 0);
    if (x.k != 'n' || *e) bad(x.off, std::string("expected a number for ") + what + ", got '" + s + "'");
    return v;
  }
  // Index past the bracket that closes the one at i.
  size_t close(size_t i) {
    char o = toks[i].s[0], c = o == '(' ? ')' : o == '{' ? '}' : ']';
    for (int d = 0; i < toks.size(); i++) {
      if (toks[i].s[0] == o && toks[i].k == o) d++;
      if (toks[i].s[0] == c && toks[i].k == c && --d == 0) return i + 1;
    }
    bad(toks.back().off, std::string("missing '") + c + "'");
  }
};

// Byte size of a PTX scalar type directive (0: not one).
uint32_t type_size(std::string_view s) {
  static const std::map<std::string_view, uint32_t> m = {
      {".b8", 1},   {".u8", 1},    {".s8", 1},   {".b16", 2},   {".u16", 2},    {".s16", 2},
      {".f16", 2},  {".bf16", 2},  {".b32", 4},  {".u32", 4},   {".s32", 4},    {".f32", 4},
      {".f16x2", 4}, {".bf16x2", 4}, {".b64", 8}, {".u64", 8},  {".s64", 8},    {".f64", 8},
      {".b128", 16}};
  auto it = m.find(s);
  return it == m.end() ? 0 : it->second;
}

struct Var {
  std::string_view name;
  uint64_t size, align;
};

// Parses "[.align N] [.vN] .type name[dims] (, name[dims])* ;" of a .shared
// or .param declaration from p.i up to the terminator (';', ',' or ')', not
// consumed when it is ',' or ')'). .align after .ptr is the pointee's.
std::vector<Var> declare(Ptx& p, bool param) {
  uint64_t align = 0, elem = 0, vec = 1;
  bool ptr = false;
  std::vector<Var> vs;
  while (true) {
    const Tok& x = p.next("the end of a declaration");
    if (x.s == ";" || (param && (x.s == "," || x.s == ")"))) {
      if (x.s != ";") p.i--;
      break;
    }
    if (x.s == ".align") {
      uint64_t a = p.number(".align");
      if (a == 0 || a > 4096) p.bad(x.off, ".align " + std::to_string(a) + " is out of range");
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
      vs.push_back({x.s, elem * n, align ? align : elem});
      if (p.is("=")) p.bad(p.toks[p.i].off, "initializer on a .shared/.param variable");
    } else if (x.s == "," || x.s[0] == '.') {
      // next name, or a state space / qualifier (.shared, .extern, .global, ...)
    } else {
      p.bad(x.off, "unexpected '" + std::string(x.s) + "' in a declaration");
    }
  }
  return vs;
}

struct Fn {
  std::string_view name;
  bool entry;
  size_t body_begin = 0, body_end = 0;  // token range inside { }
  KernelInfo k;
};

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
      if (a.s.substr(0, 3) != "sm_" || !isdigit((unsigned char)a.s[3])) p.bad(a.off, "unknown target '" + std::string(a.s) + "'");
      target = atoi(std::string(a.s.substr(3)).c_str());
    } else if (x.s == ".shared") {
      for (Var& v : declare(p, false)) shared.push_back(v);
    } else if (x.s == "{") {  // an initializer
      p.i = p.close(p.i - 1);
    } else if (x.s == "}" || x.s == ")") {
      p.bad(x.off, "unbalanced '" + std::string(x.s) + "'");
    } else if (x.s == ".entry" || x.s == ".func") {
      Fn f;
      f.entry = x.s == ".entry";
      if (!f.entry && p.is("(")) p.i = p.close(p.i);  // return value
      const Tok& n = p.next("a function name");
      if (n.k != 'i' || n.s[0] == '.') p.bad(n.off, "expected a function name");
      f.name = n.s;
      f.k.name = n.s;
      std::vector<Param> ps;
      uint32_t off = 0;
      if (p.is("(")) {
        size_t end = p.close(p.i) - 1;
        p.i++;
        while (p.i < end) {
          if (p.is(",")) { p.i++; continue; }
          const Tok& sp = p.next("a parameter");
          if (!f.entry) { p.i = end; break; }  // .func parameters do not matter
          if (sp.s != ".param") p.bad(sp.off, "entry parameter is not .param");
          std::vector<Var> vs = declare(p, true);
          if (vs.size() != 1 || vs[0].size == 0 || vs[0].align == 0 || (vs[0].align & (vs[0].align - 1)))
            p.bad(sp.off, "bad parameter declaration");
          off = (off + vs[0].align - 1) & ~uint32_t(vs[0].align - 1);
          ps.push_back({uint32_t(ps.size()), off, uint32_t(vs[0].size)});
          off += vs[0].size;
        }
        p.i = end + 1;
      }
      if (f.entry) {
        f.k.param_bytes = off;
        set_params(&f.k, std::move(ps), true, "PTX: kernel " + f.k.name);
      }
      while (!p.is("{") && !p.is(";")) {  // performance directives
        const Tok& d = p.next("a function body");
        if (d.s == ".entry" || d.s == ".func" || d.s == ".visible" || d.s == "}")
          p.bad(d.off, "function " + std::string(f.name) + " has no body");
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
      fns.push_back(std::move(f));
    }
  }
  if (target < 0) p.bad(0, "no .target directive");

  // Static shared memory of a kernel: its own .shared variables plus the
  // module ones that it, or a function it calls, names.
  std::map<std::string_view, const Fn*> funcs;
  for (const Fn& f : fns)
    if (!f.entry && f.body_end) funcs[f.name] = &f;
  out->kernels.clear();
  for (Fn& f : fns) {
    if (!f.entry || !f.body_end) continue;
    std::set<std::string_view> names;
    std::vector<const Fn*> todo{&f};
    std::set<const Fn*> seen{&f};
    std::vector<Var> vars;
    while (!todo.empty()) {
      const Fn* g = todo.back();
      todo.pop_back();
      for (size_t j = g->body_begin; j < g->body_end; j++) {
        const Tok& x = p.toks[j];
        if (x.s == ".shared" && g == &f) {
          p.i = j + 1;
          for (Var& v : declare(p, false)) vars.push_back(v);
          j = p.i - 1;
        } else if (x.k == 'i') {
          names.insert(x.s);
          if (auto c = funcs.find(x.s); c != funcs.end() && seen.insert(c->second).second) todo.push_back(c->second);
        }
      }
    }
    for (const Var& v : shared)
      if (names.count(v.name)) vars.push_back(v);
    uint64_t sh = 0;
    for (const Var& v : vars) sh = (sh + v.align - 1) / v.align * v.align + v.size;
    f.k.static_shared_bytes = uint32_t(sh);
    for (const KernelInfo& o : out->kernels)
      if (o.name == f.k.name) p.bad(0, "kernel " + o.name + " defined twice");
    out->kernels.push_back(std::move(f.k));
  }
  return target;
}

// ---- fatbin -------------------------------------------------------------

struct Entry {
  int index = 0;
  uint64_t off = 0, data = 0, payload = 0, csize = 0, usize = 0, flags = 0;
  uint16_t kind = 0;
  uint32_t arch = 0;
};

std::string describe(const Entry& e) {
  return "fatbin entry " + std::to_string(e.index) + " (" + (e.kind == 1 ? "compute_" : "sm_") +
         std::to_string(e.arch) + (e.kind == 1 ? " PTX" : " ELF") + ", header" + at(e.off) + ")";
}

void parse_fatbin(Buf b, int major, int minor, ModuleImage* out) {
  b.need(0, 16, "header");
  uint16_t version = b.get<uint16_t>(4, ""), hsize = b.get<uint16_t>(6, "");
  uint64_t fsize = b.get<uint64_t>(8, "");
  if (version != 1) fail(ImageError::invalid_image, "fatbin: version " + std::to_string(version) + at(4) + " is not 1");
  if (hsize < 16) fail(ImageError::invalid_image, "fatbin: header size " + std::to_string(hsize) + at(6) + " is below 16");
  if (fsize > (uint64_t(1) << 40)) fail(ImageError::invalid_image, "fatbin: size " + std::to_string(fsize) + at(8) + " is implausible");
  uint64_t total = hsize + fsize;
  if (total > b.n)
    fail(ImageError::invalid_image, "fatbin: header" + at(8) + " gives " + std::to_string(total) + " bytes, only " + std::to_string(b.n) + " are available");
  b.n = total;
  std::vector<Entry> es;
  for (uint64_t off = hsize; off < total;) {
    Entry e{int(es.size()) + 1, off};
    b.need(off, 64, "entry " + std::to_string(e.index) + " header");
    const uint8_t* h = b.p + off;
    e.kind = rd<uint16_t>(h);
    uint32_t ehs = rd<uint32_t>(h + 4);
    e.payload = rd<uint64_t>(h + 8);
    e.csize = rd<uint32_t>(h + 0x10);
    e.arch = rd<uint32_t>(h + 0x1c);
    e.flags = rd<uint64_t>(h + 0x28);
    e.usize = rd<uint64_t>(h + 0x38);
    if (ehs < 64) fail(ImageError::invalid_image, "fatbin: entry " + std::to_string(e.index) + " header size " + std::to_string(ehs) + at(off + 4) + " is below 64");
    b.need(off, ehs, "entry " + std::to_string(e.index) + " header");
    e.data = off + ehs;
    b.need(e.data, e.payload, "entry " + std::to_string(e.index) + " payload (size" + at(off + 8) + ")");
    es.push_back(e);
    off = e.data + e.payload;
  }
  // The driver's choice: SASS of the device's major with the highest minor
  // not above the device's, else the PTX of the highest arch not above it.
  uint32_t dev = major * 10 + minor;
  const Entry* pick = nullptr;
  for (const Entry& e : es)
    if (e.kind == 2 && int(e.arch / 10) == major && int(e.arch % 10) <= minor && (!pick || e.arch > pick->arch)) pick = &e;
  for (const Entry& e : es)
    if (!pick || pick->kind == 1)
      if (e.kind == 1 && e.arch <= dev && (!pick || e.arch > pick->arch)) pick = &e;
  if (!pick) {
    std::string have;
    for (const Entry& e : es)
      if (e.kind == 1 || e.kind == 2) have += std::string(have.empty() ? "" : ", ") + (e.kind == 1 ? "compute_" : "sm_") + std::to_string(e.arch);
    fail(ImageError::no_binary_for_gpu, "fatbin: no image for a device of compute capability " + std::to_string(major) + "." + std::to_string(minor) + " (it has " + (have.empty() ? "none" : have) + ")");
  }
  const Entry& e = *pick;
  std::vector<uint8_t> plain;
  Buf img{b.p + e.data, size_t(e.payload), pick->kind == 1 ? "PTX" : "ELF"};
  try {
    if (e.flags & 0x2000) {
      if (e.csize == 0 || e.csize > e.payload)
        fail(ImageError::invalid_image, "compressed size " + std::to_string(e.csize) + at(e.off + 0x10) + " does not fit the " + std::to_string(e.payload) + "-byte payload");
      if (e.usize == 0 || e.usize > uint64_t(e.csize) * 255 + 64)
        fail(ImageError::invalid_image, "uncompressed size " + std::to_string(e.usize) + at(e.off + 0x38) + " is implausible for " + std::to_string(e.csize) + " compressed bytes");
      plain.resize(e.usize);
      lz4_decode(img.p, e.csize, plain.data(), plain.size());
      img.p = plain.data(), img.n = plain.size();
    } else if ((e.flags & 0x8000) || (e.payload >= 4 && rd<uint32_t>(img.p) == 0xFD2FB528)) {
      // Newer toolkits can compress with zstd (flag 0x8000, zstd magic).
      fail(ImageError::unsupported, "flags " + hex(e.flags) + at(e.off + 0x28) + " / payload" + at(e.data) + ": compressed with a method other than LZ4 (flag 0x2000), which is not supported");
    }
    out->sm_major = e.arch / 10, out->sm_minor = e.arch % 10;
    if (e.kind == 2) {
      int arch = parse_elf(img, out);
      if (uint32_t(arch) != e.arch) fail(ImageError::invalid_image, "ELF e_flags give sm_" + std::to_string(arch) + ", the entry says sm_" + std::to_string(e.arch));
    } else {
      size_t len = strnlen((const char*)img.p, img.n);
      parse_ptx(std::string_view((const char*)img.p, len), out);
      out->from_ptx = true;
    }
  } catch (Fail& f) {
    f.msg = describe(e) + (plain.empty() ? "" : " (offsets in the decompressed payload)") + ": " + f.msg;
    throw;
  }
  out->image_bytes = total;
}

void parse(const uint8_t* p, size_t max_len, int major, int minor, ModuleImage* out) {
  Buf b{p, max_len ? max_len : SIZE_MAX, "image"};
  if (!p) fail(ImageError::invalid_image, "image pointer is null");
  if (major < 1 || minor < 0 || minor > 9) fail(ImageError::no_binary_for_gpu, "bad compute capability " + std::to_string(major) + "." + std::to_string(minor));
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
      fail(ImageError::no_binary_for_gpu, "cubin for sm_" + std::to_string(arch) + " cannot run on a device of compute capability " + std::to_string(major) + "." + std::to_string(minor));
    return;
  }
  size_t j = 0;  // PTX text starts, after blanks, with a comment or .version
  while (j < b.n && j < 4096 && isspace(p[j])) j++;
  if (j < b.n && (p[j] == '/' || p[j] == '.')) {
    size_t len = strnlen((const char*)p, b.n);  // a known length may omit the NUL
    int target = parse_ptx(std::string_view((const char*)p, len), out);
    out->sm_major = target / 10, out->sm_minor = target % 10, out->from_ptx = true;
    out->image_bytes = std::min(len + 1, b.n);
    if (target > major * 10 + minor)
      fail(ImageError::no_binary_for_gpu, "PTX for sm_" + std::to_string(target) + " cannot be compiled for a device of compute capability " + std::to_string(major) + "." + std::to_string(minor));
    return;
  }
  fail(ImageError::invalid_image, "unknown image format: magic " + hex(magic) + at(0) + " (expected fatbin 0xba55ed50, ELF or PTX text)");
}

}  // namespace

bool parse_module_image(const void* data, size_t max_len, int major, int minor, ModuleImage* out,
                        std::string* err) {
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
