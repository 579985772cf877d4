// An LZMA decoder (the .lzma format: a 13-byte header with the properties, the
// dictionary size and the output size, then one LZMA stream) for the wizard's
// WebAssembly module, which `cargo xtask dist` compresses with LZMA: a fifth
// smaller than the best gzip, and browsers inflate only gzip and deflate. The
// whole output is in memory, so it is the dictionary too.

/** Decompresses a .lzma file (known size, no end marker); throws on corrupt input. */
export function decompress(input) {
  let d = input[0];
  if (d >= 225) throw new Error('LZMA: bad properties');
  const lc = d % 9;
  d = (d / 9) | 0;
  const lp = d % 5;
  const pb = (d / 5) | 0;
  let size = 0;
  for (let i = 12; i >= 5; i--) size = size * 256 + input[i];
  if (size > 0x7fffffff) throw new Error('LZMA: the size must be known');
  const out = new Uint8Array(size);

  const rc = new RangeDecoder(input, 13);
  const probs = (n) => new Uint16Array(n).fill(1024);
  // A length coder: choice, choice 2, 16 × 8 low, 16 × 8 middle, 256 high.
  const lengths = () => probs(2 + 128 + 128 + 256);
  const length = (p, ps) => {
    if (!rc.bit(p, 0)) return rc.tree(p, 2 + ps * 8, 3);
    if (!rc.bit(p, 1)) return 8 + rc.tree(p, 130 + ps * 8, 3);
    return 16 + rc.tree(p, 258, 8);
  };

  const literal = probs(0x300 << (lc + lp));
  const isMatch = probs(192);
  const isRep = probs(12);
  const isRepG0 = probs(12);
  const isRepG1 = probs(12);
  const isRepG2 = probs(12);
  const isRep0Long = probs(192);
  const slots = probs(256);
  const special = probs(115);
  const align = probs(16);
  const matchLen = lengths();
  const repLen = lengths();
  const pbMask = (1 << pb) - 1;
  const lpMask = (1 << lp) - 1;

  let state = 0;
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;
  let pos = 0;
  while (pos < size) {
    const ps = pos & pbMask;
    if (!rc.bit(isMatch, (state << 4) + ps)) {
      const prev = pos > 0 ? out[pos - 1] : 0;
      const base = 0x300 * (((pos & lpMask) << lc) + (prev >>> (8 - lc)));
      let s = 1;
      if (state >= 7) {
        let match = out[pos - rep0 - 1];
        do {
          const mb = (match >>> 7) & 1;
          match <<= 1;
          const b = rc.bit(literal, base + ((1 + mb) << 8) + s);
          s = (s << 1) | b;
          if (b !== mb) break;
        } while (s < 0x100);
      }
      while (s < 0x100) s = (s << 1) | rc.bit(literal, base + s);
      out[pos++] = s & 0xff;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let len;
    if (rc.bit(isRep, state)) {
      if (pos === 0) throw new Error('LZMA: corrupt stream');
      if (!rc.bit(isRepG0, state)) {
        if (!rc.bit(isRep0Long, (state << 4) + ps)) {
          state = state < 7 ? 9 : 11;
          out[pos] = out[pos - rep0 - 1];
          pos++;
          continue;
        }
      } else {
        let dist;
        if (!rc.bit(isRepG1, state)) {
          dist = rep1;
        } else {
          if (!rc.bit(isRepG2, state)) {
            dist = rep2;
          } else {
            dist = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = dist;
      }
      len = length(repLen, ps);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = length(matchLen, ps);
      state = state < 7 ? 7 : 10;
      const slot = rc.tree(slots, (len < 3 ? len : 3) << 6, 6);
      if (slot < 4) {
        rep0 = slot;
      } else {
        const n = (slot >>> 1) - 1;
        rep0 = ((2 | (slot & 1)) << n) >>> 0;
        if (slot < 14) {
          rep0 += rc.reverse(special, rep0 - slot, n);
        } else {
          rep0 = (rep0 + rc.direct(n - 4) * 16 + rc.reverse(align, 0, 4)) >>> 0;
        }
      }
      if (rep0 >= pos) throw new Error('LZMA: corrupt stream');
    }
    len += 2;
    if (len > size - pos) throw new Error('LZMA: corrupt stream');
    for (const end = pos + len; pos < end; pos++) out[pos] = out[pos - rep0 - 1];
  }
  // A whole stream ends with the range decoder at zero and every byte read.
  if (rc.code !== 0 || rc.s[2] > input.length) throw new Error('LZMA: corrupt or truncated stream');
  return out;
}

/** The range decoder: reads bits of `input` from `at` under adaptive probabilities. */
class RangeDecoder {
  constructor(input, at) {
    this.input = input;
    // range, code, read position: unboxed in a typed array.
    this.s = new Uint32Array([0xffffffff, 0, at + 5]);
    if (input[at] !== 0) throw new Error('LZMA: corrupt stream');
    for (let i = 1; i < 5; i++) this.s[1] = (this.s[1] << 8) | input[at + i];
  }

  /** The range decoder's code, zero at the end of a whole stream. */
  get code() {
    return this.s[1];
  }

  /** One bit under the probability `p[i]` (of 2048), which it adapts. */
  bit(p, i) {
    const s = this.s;
    const prob = p[i];
    let range = s[0];
    let code = s[1];
    const bound = (range >>> 11) * prob;
    let b = 0;
    if (code < bound) {
      range = bound;
      p[i] = prob + ((2048 - prob) >>> 5);
    } else {
      range -= bound;
      code -= bound;
      p[i] = prob - (prob >>> 5);
      b = 1;
    }
    if (range < 0x1000000) {
      range *= 256;
      code = (code << 8) | this.input[s[2]++];
    }
    s[0] = range;
    s[1] = code;
    return b;
  }

  /** `n` bits at even odds. */
  direct(n) {
    const s = this.s;
    let range = s[0];
    let code = s[1];
    let r = 0;
    while (n--) {
      range >>>= 1;
      const b = code >= range ? 1 : 0;
      if (b) code -= range;
      r = (r << 1) | b;
      if (range < 0x1000000) {
        range *= 256;
        code = ((code << 8) | this.input[s[2]++]) >>> 0;
      }
    }
    s[0] = range;
    s[1] = code;
    return r >>> 0;
  }

  /** A bit tree of `n` bits at `p[o..]`, most significant bit first. */
  tree(p, o, n) {
    let m = 1;
    for (let i = 0; i < n; i++) m = (m << 1) | this.bit(p, o + m);
    return m - (1 << n);
  }

  /** The same, least significant bit first. */
  reverse(p, o, n) {
    let m = 1;
    let r = 0;
    for (let i = 0; i < n; i++) {
      const b = this.bit(p, o + m);
      m = (m << 1) | b;
      r |= b << i;
    }
    return r;
  }
}
