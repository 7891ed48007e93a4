/**
 * The three matrix products of a layer as WebAssembly SIMD kernels (AssemblyScript; compiled by
 * scripts/build-wasm.mjs into kernels.generated.ts), plus the elementwise passes of a step (relu,
 * leaky relu and linear forward and derivative, the SGD update; at the end of this file), which
 * in JS cost a quarter of a float32 step once the products ran here. Same shapes and meaning as
 * kernels.ts:
 *
 *   forward       pre (B, nOut)  = prev (B, nIn1) · W (nOut, nIn1)ᵀ
 *   backwardData  dPrev (B, nIn) = d (B, nOut) · W[:, 1:]
 *   weightGrad    G (nOut, nIn1) = dᵀ · prev
 *
 * Arguments are byte addresses in the imported memory (any address aligned to the element size:
 * loads need no 16-byte alignment) and sizes. Every kernel overwrites its output.
 *
 * Built twice by scripts/build-wasm.mjs. The default module is plain 128-bit SIMD (f64x2 / f32x4),
 * no relaxed SIMD: no fused multiply-add, so float64 results are the same bits on every runtime.
 * The second ("fma") module is the same source compiled with relaxed SIMD enabled: every vector
 * multiply-add of the products becomes relaxed_madd, which the engine may fuse (one rounding; x64
 * with FMA3 does) or not, so its results depend on the machine. It is an opt-in fast mode that
 * the run records (kernel wasm-fma-*); the elementwise passes are the same in both.
 *
 * backwardData and weightGrad are computed as C = A · M, vectorized along the rows of M
 * (contiguous), by register tiles of 8 vector accumulators: 2 rows of C × 4 vectors, with one
 * splat-loaded element of A per tile row and four vector loads of M per step of k (then 4 × 2 and
 * 8 × 1 tiles for narrower remainders; 12 or more accumulators spill registers and run at half
 * speed). Every C element is summed over k = 0, 1, 2, … in order, the reference loops' order, so
 * their float64 results equal the JS kernels' bit for bit. weightGrad of a narrow input layer
 * vectorizes along units instead (Gᵀ = prevᵀ · d, stored transposed); wide layers first copy each
 * panel of M to a scratch area (see splatForm).
 *
 * forward runs as dot products along k (both operands contiguous in k) in 4 × 2 tiles of (rows of
 * prev) × (rows of W), summed across lanes at the end: the same value up to rounding. That
 * measured as fast as packing Wᵀ for the splat form, and much faster on narrow output layers.
 * Only when k is shorter than two vectors (a 1-D input layer) does it pack Wᵀ into the scratch
 * area and use the splat form.
 *
 * Why not faster (Node 20, Zen 3): the 2 × 4 step is 6 loads and 16 FP operations plus V8's loop
 * bookkeeping (address zero-extension, pointer updates, interrupt check), ~33 instructions, which
 * retire at ~5 per cycle: ~15 GFLOP/s in f64 and ~30 in f32 at 3 GHz. Unrolling k by two to share
 * the bookkeeping makes TurboFan schedule all loads of both steps first, spill, and halve the speed.
 */

/** Scratch area for packed or copied panels (address and size in bytes), set once by the host. */
let scratch: usize = 0;
let scratchBytes: usize = 0;

export function setScratch(at: usize, bytes: usize): void {
  scratch = at;
  scratchBytes = bytes;
}

// ---- helpers, generic over the element type T (f64 or f32); L = lanes per vector (2 or 4) -------

// @ts-ignore: decorator
@inline function hsum<T>(v: v128): T {
  if (sizeof<T>() == 8) {
    return v128.extract_lane<T>(v, 0) + v128.extract_lane<T>(v, 1);
  } else {
    return (v128.extract_lane<T>(v, 0) + v128.extract_lane<T>(v, 1)) + (v128.extract_lane<T>(v, 2) + v128.extract_lane<T>(v, 3));
  }
}

/** acc + a·b: two roundings, or relaxed_madd (possibly fused) in the fma build. */
// @ts-ignore: decorator
@inline function madd<T>(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, acc);
  return v128.add<T>(acc, v128.mul<T>(a, b));
}

/** Stores the lanes of v at p, p + cns, p + 2·cns, … (one vector store when contiguous). */
// @ts-ignore: decorator
@inline function storeV<T>(p: usize, v: v128, cns: usize): void {
  if (cns == sizeof<T>()) {
    v128.store(p, v);
  } else if (sizeof<T>() == 8) {
    store<T>(p, v128.extract_lane<T>(v, 0));
    store<T>(p + cns, v128.extract_lane<T>(v, 1));
  } else {
    store<T>(p, v128.extract_lane<T>(v, 0));
    store<T>(p + cns, v128.extract_lane<T>(v, 1));
    store<T>(p + 2 * cns, v128.extract_lane<T>(v, 2));
    store<T>(p + 3 * cns, v128.extract_lane<T>(v, 3));
  }
}

// ---- splat form: C (M, N) = A (M, K) · Bm (K, N) ---------------------------------------------
//
// Byte strides: C[m, n] at c + m·cms + n·cns; A[m, k] at a + m·ams + k·aks; Bm[k, n] at
// b + k·ldb + n·S (rows of Bm contiguous). Each tile function computes one tile over all of k.

function s2x4<T>(c: usize, cms: usize, cns: usize, a: usize, ams: usize, aks: usize, b: usize, ldb: usize, K: i32): void {
  const z = v128.splat<T>(<T>0);
  let s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z;
  let pa = a, pb = b;
  for (let k = 0; k < K; k++) {
    const x0 = v128.load_splat<T>(pa), x1 = v128.load_splat<T>(pa + ams);
    const w0 = v128.load(pb), w1 = v128.load(pb, 16), w2 = v128.load(pb, 32), w3 = v128.load(pb, 48);
    s00 = madd<T>(s00, x0, w0); s01 = madd<T>(s01, x0, w1); s02 = madd<T>(s02, x0, w2); s03 = madd<T>(s03, x0, w3);
    s10 = madd<T>(s10, x1, w0); s11 = madd<T>(s11, x1, w1); s12 = madd<T>(s12, x1, w2); s13 = madd<T>(s13, x1, w3);
    pa += aks; pb += ldb;
  }
  const v = cns << (sizeof<T>() == 8 ? 1 : 2); // bytes from one vector of C to the next
  storeV<T>(c, s00, cns); storeV<T>(c + v, s01, cns); storeV<T>(c + 2 * v, s02, cns); storeV<T>(c + 3 * v, s03, cns);
  c += cms;
  storeV<T>(c, s10, cns); storeV<T>(c + v, s11, cns); storeV<T>(c + 2 * v, s12, cns); storeV<T>(c + 3 * v, s13, cns);
}

function s1x4<T>(c: usize, cns: usize, a: usize, aks: usize, b: usize, ldb: usize, K: i32): void {
  const z = v128.splat<T>(<T>0);
  let s0 = z, s1 = z, s2 = z, s3 = z;
  let pa = a, pb = b;
  for (let k = 0; k < K; k++) {
    const x0 = v128.load_splat<T>(pa);
    s0 = madd<T>(s0, x0, v128.load(pb)); s1 = madd<T>(s1, x0, v128.load(pb, 16));
    s2 = madd<T>(s2, x0, v128.load(pb, 32)); s3 = madd<T>(s3, x0, v128.load(pb, 48));
    pa += aks; pb += ldb;
  }
  const v = cns << (sizeof<T>() == 8 ? 1 : 2);
  storeV<T>(c, s0, cns); storeV<T>(c + v, s1, cns); storeV<T>(c + 2 * v, s2, cns); storeV<T>(c + 3 * v, s3, cns);
}

function s4x2<T>(c: usize, cms: usize, cns: usize, a: usize, ams: usize, aks: usize, b: usize, ldb: usize, K: i32): void {
  const z = v128.splat<T>(<T>0);
  let s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;
  let pa = a, pb = b;
  const a2 = ams + ams, a3 = a2 + ams;
  for (let k = 0; k < K; k++) {
    const w0 = v128.load(pb), w1 = v128.load(pb, 16);
    const x0 = v128.load_splat<T>(pa), x1 = v128.load_splat<T>(pa + ams);
    const x2 = v128.load_splat<T>(pa + a2), x3 = v128.load_splat<T>(pa + a3);
    s00 = madd<T>(s00, x0, w0); s01 = madd<T>(s01, x0, w1); s10 = madd<T>(s10, x1, w0); s11 = madd<T>(s11, x1, w1);
    s20 = madd<T>(s20, x2, w0); s21 = madd<T>(s21, x2, w1); s30 = madd<T>(s30, x3, w0); s31 = madd<T>(s31, x3, w1);
    pa += aks; pb += ldb;
  }
  const v = cns << (sizeof<T>() == 8 ? 1 : 2);
  storeV<T>(c, s00, cns); storeV<T>(c + v, s01, cns); c += cms;
  storeV<T>(c, s10, cns); storeV<T>(c + v, s11, cns); c += cms;
  storeV<T>(c, s20, cns); storeV<T>(c + v, s21, cns); c += cms;
  storeV<T>(c, s30, cns); storeV<T>(c + v, s31, cns);
}

function s1x2<T>(c: usize, cns: usize, a: usize, aks: usize, b: usize, ldb: usize, K: i32): void {
  const z = v128.splat<T>(<T>0);
  let s0 = z, s1 = z;
  let pa = a, pb = b;
  for (let k = 0; k < K; k++) {
    const x0 = v128.load_splat<T>(pa);
    s0 = madd<T>(s0, x0, v128.load(pb)); s1 = madd<T>(s1, x0, v128.load(pb, 16));
    pa += aks; pb += ldb;
  }
  storeV<T>(c, s0, cns); storeV<T>(c + (cns << (sizeof<T>() == 8 ? 1 : 2)), s1, cns);
}

function s8x1<T>(c: usize, cms: usize, cns: usize, a: usize, ams: usize, aks: usize, b: usize, ldb: usize, K: i32): void {
  const z = v128.splat<T>(<T>0);
  let s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z, s7 = z;
  let pa = a, pb = b;
  const a2 = ams + ams, a3 = a2 + ams, a4 = a3 + ams, a5 = a4 + ams, a6 = a5 + ams, a7 = a6 + ams;
  for (let k = 0; k < K; k++) {
    const w = v128.load(pb);
    s0 = madd<T>(s0, v128.load_splat<T>(pa), w); s1 = madd<T>(s1, v128.load_splat<T>(pa + ams), w);
    s2 = madd<T>(s2, v128.load_splat<T>(pa + a2), w); s3 = madd<T>(s3, v128.load_splat<T>(pa + a3), w);
    s4 = madd<T>(s4, v128.load_splat<T>(pa + a4), w); s5 = madd<T>(s5, v128.load_splat<T>(pa + a5), w);
    s6 = madd<T>(s6, v128.load_splat<T>(pa + a6), w); s7 = madd<T>(s7, v128.load_splat<T>(pa + a7), w);
    pa += aks; pb += ldb;
  }
  storeV<T>(c, s0, cns); c += cms; storeV<T>(c, s1, cns); c += cms;
  storeV<T>(c, s2, cns); c += cms; storeV<T>(c, s3, cns); c += cms;
  storeV<T>(c, s4, cns); c += cms; storeV<T>(c, s5, cns); c += cms;
  storeV<T>(c, s6, cns); c += cms; storeV<T>(c, s7, cns);
}

function s1x1<T>(c: usize, cns: usize, a: usize, aks: usize, b: usize, ldb: usize, K: i32): void {
  let s0 = v128.splat<T>(<T>0);
  let pa = a, pb = b;
  for (let k = 0; k < K; k++) {
    s0 = madd<T>(s0, v128.load_splat<T>(pa), v128.load(pb));
    pa += aks; pb += ldb;
  }
  storeV<T>(c, s0, cns);
}

/** 4 rows × 1 column, scalar (columns past the last whole vector). */
function s4xs<T>(c: usize, cms: usize, a: usize, ams: usize, aks: usize, b: usize, ldb: usize, K: i32): void {
  let r0 = <T>0, r1 = <T>0, r2 = <T>0, r3 = <T>0;
  let pa = a, pb = b;
  const a2 = ams + ams, a3 = a2 + ams;
  for (let k = 0; k < K; k++) {
    const w = load<T>(pb);
    r0 += load<T>(pa) * w; r1 += load<T>(pa + ams) * w; r2 += load<T>(pa + a2) * w; r3 += load<T>(pa + a3) * w;
    pa += aks; pb += ldb;
  }
  store<T>(c, r0); store<T>(c + cms, r1); store<T>(c + 2 * cms, r2); store<T>(c + 3 * cms, r3);
}

function s1xs<T>(c: usize, a: usize, aks: usize, b: usize, ldb: usize, K: i32): void {
  let r0 = <T>0;
  let pa = a, pb = b;
  for (let k = 0; k < K; k++) {
    r0 += load<T>(pa) * load<T>(pb);
    pa += aks; pb += ldb;
  }
  store<T>(c, r0);
}

/**
 * splatForm copies each 4-vector panel of Bm to the scratch area when its rows are at least
 * PANEL_MIN_STRIDE bytes apart and at least PANEL_MIN_ROWS rows of C reuse it (measured: +5–15 %
 * on 256- and 784-wide layers, a few % lost on small ones).
 */
const PANEL_MIN_ROWS = 16;
const PANEL_MIN_STRIDE: usize = 1024;

function splatForm<T>(c: usize, cms: usize, cns: usize, a: usize, ams: usize, aks: usize, b: usize, ldb: usize, M: i32, K: i32, N: i32, mayPack: bool): void {
  const S = <usize>sizeof<T>();
  const L = <i32>(16 / sizeof<T>());
  // Copying each panel of 4 vectors × K rows of Bm to consecutive addresses first (one cache line
  // per k, in a few pages instead of K) helps wide layers, whose rows of Bm are far apart.
  const pack = mayPack && M >= PANEL_MIN_ROWS && ldb >= PANEL_MIN_STRIDE && <usize>K * 64 <= scratchBytes;
  let n = 0;
  // 4 vectors of columns: 2 × 4 tiles, then one row
  for (; n + 4 * L <= N; n += 4 * L) {
    const cn = c + <usize>n * cns;
    let bn = b + <usize>n * S, ld = ldb;
    if (pack) {
      let src = bn, dst = scratch;
      for (let k = 0; k < K; k++) {
        v128.store(dst, v128.load(src)); v128.store(dst, v128.load(src, 16), 16);
        v128.store(dst, v128.load(src, 32), 32); v128.store(dst, v128.load(src, 48), 48);
        src += ldb; dst += 64;
      }
      bn = scratch;
      ld = 64;
    }
    let m = 0;
    for (; m + 2 <= M; m += 2) s2x4<T>(cn + <usize>m * cms, cms, cns, a + <usize>m * ams, ams, aks, bn, ld, K);
    if (m < M) s1x4<T>(cn + <usize>m * cms, cns, a + <usize>m * ams, aks, bn, ld, K);
  }
  // 2 or 3 vectors left: 4 × 2 tiles, then single rows
  if (n + 2 * L <= N) {
    const cn = c + <usize>n * cns, bn = b + <usize>n * S;
    let m = 0;
    for (; m + 4 <= M; m += 4) s4x2<T>(cn + <usize>m * cms, cms, cns, a + <usize>m * ams, ams, aks, bn, ldb, K);
    for (; m < M; m++) s1x2<T>(cn + <usize>m * cms, cns, a + <usize>m * ams, aks, bn, ldb, K);
    n += 2 * L;
  }
  // 1 vector left: 8 × 1 tiles, then single rows
  if (n + L <= N) {
    const cn = c + <usize>n * cns, bn = b + <usize>n * S;
    let m = 0;
    for (; m + 8 <= M; m += 8) s8x1<T>(cn + <usize>m * cms, cms, cns, a + <usize>m * ams, ams, aks, bn, ldb, K);
    for (; m < M; m++) s1x1<T>(cn + <usize>m * cms, cns, a + <usize>m * ams, aks, bn, ldb, K);
    n += L;
  }
  // fewer columns than a vector: scalar
  for (; n < N; n++) {
    const cn = c + <usize>n * cns, bn = b + <usize>n * S;
    let m = 0;
    for (; m + 4 <= M; m += 4) s4xs<T>(cn + <usize>m * cms, cms, a + <usize>m * ams, ams, aks, bn, ldb, K);
    for (; m < M; m++) s1xs<T>(cn + <usize>m * cms, a + <usize>m * ams, aks, bn, ldb, K);
  }
}

// ---- dot form: C (M, N) = A (M, K) · Bt (N, K)ᵀ, rows of A and Bt contiguous (stride K) -------
//
// C[m, n] at c + m·rowC + n·S (rowC ≥ N·S: a block of a wider output).

function dotForm<T>(c: usize, rowC: usize, a: usize, bt: usize, M: i32, K: i32, N: i32): void {
  const S = <usize>sizeof<T>();
  const L = <i32>(16 / sizeof<T>());
  const rowK = <usize>K * S;
  const Kv = K - (K % L); // k covered by whole vectors
  const vBytes = <usize>Kv * S;
  const zero = v128.splat<T>(<T>0);
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const a0 = a + <usize>m * rowK, a1 = a0 + rowK, a2 = a1 + rowK, a3 = a2 + rowK;
    const c0 = c + <usize>m * rowC, c1 = c0 + rowC, c2 = c1 + rowC, c3 = c2 + rowC;
    let n = 0;
    for (; n + 2 <= N; n += 2) {
      const b0 = bt + <usize>n * rowK, b1 = b0 + rowK;
      let s00 = zero, s10 = zero, s20 = zero, s30 = zero;
      let s01 = zero, s11 = zero, s21 = zero, s31 = zero;
      for (let off: usize = 0; off < vBytes; off += 16) {
        const w0 = v128.load(b0 + off), w1 = v128.load(b1 + off);
        const x0 = v128.load(a0 + off), x1 = v128.load(a1 + off), x2 = v128.load(a2 + off), x3 = v128.load(a3 + off);
        s00 = madd<T>(s00, x0, w0); s10 = madd<T>(s10, x1, w0); s20 = madd<T>(s20, x2, w0); s30 = madd<T>(s30, x3, w0);
        s01 = madd<T>(s01, x0, w1); s11 = madd<T>(s11, x1, w1); s21 = madd<T>(s21, x2, w1); s31 = madd<T>(s31, x3, w1);
      }
      let r00 = hsum<T>(s00), r10 = hsum<T>(s10), r20 = hsum<T>(s20), r30 = hsum<T>(s30);
      let r01 = hsum<T>(s01), r11 = hsum<T>(s11), r21 = hsum<T>(s21), r31 = hsum<T>(s31);
      for (let k = Kv; k < K; k++) {
        const off = <usize>k * S;
        const w0 = load<T>(b0 + off), w1 = load<T>(b1 + off);
        const x0 = load<T>(a0 + off), x1 = load<T>(a1 + off), x2 = load<T>(a2 + off), x3 = load<T>(a3 + off);
        r00 += x0 * w0; r10 += x1 * w0; r20 += x2 * w0; r30 += x3 * w0;
        r01 += x0 * w1; r11 += x1 * w1; r21 += x2 * w1; r31 += x3 * w1;
      }
      const o = <usize>n * S;
      store<T>(c0 + o, r00); store<T>(c1 + o, r10); store<T>(c2 + o, r20); store<T>(c3 + o, r30);
      store<T>(c0 + o + S, r01); store<T>(c1 + o + S, r11); store<T>(c2 + o + S, r21); store<T>(c3 + o + S, r31);
    }
    if (n < N) {
      // 4 × 1
      const b0 = bt + <usize>n * rowK;
      let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
      for (let off: usize = 0; off < vBytes; off += 16) {
        const w0 = v128.load(b0 + off);
        s0 = madd<T>(s0, v128.load(a0 + off), w0); s1 = madd<T>(s1, v128.load(a1 + off), w0);
        s2 = madd<T>(s2, v128.load(a2 + off), w0); s3 = madd<T>(s3, v128.load(a3 + off), w0);
      }
      let r0 = hsum<T>(s0), r1 = hsum<T>(s1), r2 = hsum<T>(s2), r3 = hsum<T>(s3);
      for (let k = Kv; k < K; k++) {
        const off = <usize>k * S;
        const w0 = load<T>(b0 + off);
        r0 += load<T>(a0 + off) * w0; r1 += load<T>(a1 + off) * w0; r2 += load<T>(a2 + off) * w0; r3 += load<T>(a3 + off) * w0;
      }
      const o = <usize>n * S;
      store<T>(c0 + o, r0); store<T>(c1 + o, r1); store<T>(c2 + o, r2); store<T>(c3 + o, r3);
    }
  }
  for (; m < M; m++) {
    // leftover rows: 1 × 4, then 1 × 1
    const a0 = a + <usize>m * rowK;
    const c0 = c + <usize>m * rowC;
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const b0 = bt + <usize>n * rowK, b1 = b0 + rowK, b2 = b1 + rowK, b3 = b2 + rowK;
      let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
      for (let off: usize = 0; off < vBytes; off += 16) {
        const x0 = v128.load(a0 + off);
        s0 = madd<T>(s0, x0, v128.load(b0 + off)); s1 = madd<T>(s1, x0, v128.load(b1 + off));
        s2 = madd<T>(s2, x0, v128.load(b2 + off)); s3 = madd<T>(s3, x0, v128.load(b3 + off));
      }
      let r0 = hsum<T>(s0), r1 = hsum<T>(s1), r2 = hsum<T>(s2), r3 = hsum<T>(s3);
      for (let k = Kv; k < K; k++) {
        const off = <usize>k * S;
        const x0 = load<T>(a0 + off);
        r0 += x0 * load<T>(b0 + off); r1 += x0 * load<T>(b1 + off); r2 += x0 * load<T>(b2 + off); r3 += x0 * load<T>(b3 + off);
      }
      const o = <usize>n * S;
      store<T>(c0 + o, r0); store<T>(c0 + o + S, r1); store<T>(c0 + o + 2 * S, r2); store<T>(c0 + o + 3 * S, r3);
    }
    for (; n < N; n++) {
      const b0 = bt + <usize>n * rowK;
      let s0 = zero;
      for (let off: usize = 0; off < vBytes; off += 16) s0 = madd<T>(s0, v128.load(a0 + off), v128.load(b0 + off));
      let r0 = hsum<T>(s0);
      for (let k = Kv; k < K; k++) {
        const off = <usize>k * S;
        r0 += load<T>(a0 + off) * load<T>(b0 + off);
      }
      store<T>(c0 + <usize>n * S, r0);
    }
  }
}

// ---- the three products ------------------------------------------------------------------------
//
// Each computes one block of its output, rows [m0, m1) × columns [n0, n1), and every element of
// it exactly as the whole product would (the same terms summed in the same order, whatever the
// block): so the blocks of one product can run on different threads and the result is the same
// bits as one call over the whole output.

function forward<T>(pre: usize, prev: usize, W: usize, B: i32, nIn1: i32, nOut: i32, m0: i32, m1: i32, n0: i32, n1: i32): void {
  const S = <usize>sizeof<T>();
  const L = <i32>(16 / sizeof<T>());
  const K = nIn1;
  const rowW = <usize>K * S;
  const M = m1 - m0;
  const N = n1 - n0;
  const c = pre + (<usize>m0 * <usize>nOut + <usize>n0) * S;
  const a = prev + <usize>m0 * rowW;
  // Dot products along k, unless k is too short to fill vectors (a narrow input layer) and there
  // are enough rows and units to repay packing Wᵀ: then the splat form on packed panels. The two
  // forms sum in different orders, so the choice depends on the whole product's shape, never on
  // the block (every thread's scratch area has the same size).
  // panel width: as many whole 4-vector tiles of columns as the scratch holds
  const width = <i32>(scratchBytes / (<usize>K * S)) / (4 * L) * (4 * L);
  if (K >= 2 * L || B < 4 || nOut < 4 * L || width == 0) {
    dotForm<T>(c, <usize>nOut * S, a, W + <usize>n0 * rowW, M, K, N);
    return;
  }
  for (let p0 = 0; p0 < N; p0 += width) {
    const w = min(width, N - p0);
    // pack P (K, w) = W[n0 + p0 : n0 + p0 + w, :]ᵀ
    const ldp = <usize>w * S;
    for (let j = 0; j < w; j++) {
      let src = W + <usize>(n0 + p0 + j) * rowW;
      let dst = scratch + <usize>j * S;
      for (let k = 0; k < K; k++) {
        store<T>(dst, load<T>(src));
        src += S; dst += ldp;
      }
    }
    splatForm<T>(c + <usize>p0 * S, <usize>nOut * S, S, a, rowW, S, scratch, ldp, M, K, w, false);
  }
}

function backwardData<T>(dPrev: usize, d: usize, W: usize, B: i32, nIn: i32, nOut: i32, m0: i32, m1: i32, n0: i32, n1: i32): void {
  const S = <usize>sizeof<T>();
  // C = dPrev (B, nIn), A = d (B, nOut), Bm = W[:, 1:] (nOut rows of stride nIn + 1)
  const c = dPrev + (<usize>m0 * <usize>nIn + <usize>n0) * S;
  const a = d + <usize>m0 * <usize>nOut * S;
  splatForm<T>(c, <usize>nIn * S, S, a, <usize>nOut * S, S, W + S + <usize>n0 * S, <usize>(nIn + 1) * S, m1 - m0, nOut, n1 - n0, true);
}

/** Block rows [j0, j1) (units) × columns [k0, k1) (inputs, bias first) of G. */
function weightGrad<T>(G: usize, d: usize, prev: usize, B: i32, nIn1: i32, nOut: i32, j0: i32, j1: i32, k0: i32, k1: i32): void {
  const S = <usize>sizeof<T>();
  const L = <i32>(16 / sizeof<T>());
  const g = G + (<usize>j0 * <usize>nIn1 + <usize>k0) * S;
  const dj = d + <usize>j0 * S;
  const pk = prev + <usize>k0 * S;
  if (nIn1 < 4 * L && nOut > nIn1) {
    // narrow input (e.g. the input layer): vectorize along units instead,
    // Gᵀ (nIn1, nOut) = prevᵀ (nIn1, B) · d (B, nOut), stored transposed into G
    splatForm<T>(g, S, <usize>nIn1 * S, pk, S, <usize>nIn1 * S, dj, <usize>nOut * S, k1 - k0, B, j1 - j0, true);
  } else {
    // G (nOut, nIn1) = dᵀ (nOut, B) · prev (B, nIn1)
    splatForm<T>(g, <usize>nIn1 * S, S, dj, S, <usize>nOut * S, pk, <usize>nIn1 * S, j1 - j0, B, k1 - k0, true);
  }
}

// ---- exports: byte addresses, sizes, and the block of the output to compute ---------------------

/** pre (B, nOut) = prev (B, nIn1) · W (nOut, nIn1)ᵀ, rows (batch) [m0, m1) × columns (units) [n0, n1) */
export function f64_forward(pre: usize, prev: usize, W: usize, B: i32, nIn1: i32, nOut: i32, m0: i32, m1: i32, n0: i32, n1: i32): void {
  forward<f64>(pre, prev, W, B, nIn1, nOut, m0, m1, n0, n1);
}

/** dPrev (B, nIn) = d (B, nOut) · W[:, 1:] with W (nOut, nIn + 1), rows (batch) [m0, m1) × columns (inputs) [n0, n1) */
export function f64_backwardData(dPrev: usize, d: usize, W: usize, B: i32, nIn: i32, nOut: i32, m0: i32, m1: i32, n0: i32, n1: i32): void {
  backwardData<f64>(dPrev, d, W, B, nIn, nOut, m0, m1, n0, n1);
}

/** G (nOut, nIn1) = dᵀ (nOut, B) · prev (B, nIn1), rows (units) [j0, j1) × columns [k0, k1) */
export function f64_weightGrad(G: usize, d: usize, prev: usize, B: i32, nIn1: i32, nOut: i32, j0: i32, j1: i32, k0: i32, k1: i32): void {
  weightGrad<f64>(G, d, prev, B, nIn1, nOut, j0, j1, k0, k1);
}

export function f32_forward(pre: usize, prev: usize, W: usize, B: i32, nIn1: i32, nOut: i32, m0: i32, m1: i32, n0: i32, n1: i32): void {
  forward<f32>(pre, prev, W, B, nIn1, nOut, m0, m1, n0, n1);
}

export function f32_backwardData(dPrev: usize, d: usize, W: usize, B: i32, nIn: i32, nOut: i32, m0: i32, m1: i32, n0: i32, n1: i32): void {
  backwardData<f32>(dPrev, d, W, B, nIn, nOut, m0, m1, n0, n1);
}

export function f32_weightGrad(G: usize, d: usize, prev: usize, B: i32, nIn1: i32, nOut: i32, j0: i32, j1: i32, k0: i32, k1: i32): void {
  weightGrad<f32>(G, d, prev, B, nIn1, nOut, j0, j1, k0, k1);
}

// ---- activations and the SGD step: elementwise passes over a layer ------------------------------
//
// The JS table in activations.ts is the reference: every pass here gives its results bit for bit
// (a test checks it), so the kernel name need not change when they run. relu and leaky relu are
// branch-free (compare, then select or mask). Where JS computes in float64 and rounds once to
// float32 (a float64 constant times a float32 value, the SGD step), the float32 passes do the same
// (promote, compute in f64x2, demote) rather than round twice in f32x4 arithmetic.
// sigmoid and tanh stay in JS: WebAssembly has no exp, and a polynomial one would not give
// Math.exp's bits.

const ACT_LINEAR = 0;
const ACT_RELU = 1;
const ACT_LEAKY = 2;
/** activations.ts LEAKY_SLOPE */
const LEAKY_SLOPE: f64 = 0.01;

/** Lanes of a float32 vector as float64: [lanes 0, 1] and [lanes 2, 3]. */
// @ts-ignore: decorator
@inline function promoteLo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
// @ts-ignore: decorator
@inline function promoteHi(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<i64>(v, v, 1, 1));
}
/** Two float64 vectors rounded into one float32 vector. */
// @ts-ignore: decorator
@inline function demote2(lo: v128, hi: v128): v128 {
  return v128.shuffle<i64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** LEAKY_SLOPE · v, rounded as JS rounds it (float32: the float64 product, then to float32). */
// @ts-ignore: decorator
@inline function slopeTimes<T>(v: v128): v128 {
  const s = f64x2.splat(LEAKY_SLOPE);
  if (sizeof<T>() == 8) return f64x2.mul(v, s);
  return demote2(f64x2.mul(promoteLo(v), s), f64x2.mul(promoteHi(v), s));
}

// @ts-ignore: decorator
@inline function slopeTimesScalar<T>(z: T): T {
  return <T>(LEAKY_SLOPE * <f64>z);
}

/** f(z) of a vector: relu z < 0 ? 0 : z (NaN and −0 pass through, as in JS); leaky z < 0 ? 0.01·z : z. */
// @ts-ignore: decorator
@inline function actForwardV<T>(kind: i32, z: v128): v128 {
  const neg = v128.lt<T>(z, v128.splat<T>(<T>0));
  if (kind == ACT_RELU) return v128.andnot(z, neg);
  if (kind == ACT_LEAKY) return v128.bitselect(slopeTimes<T>(z), z, neg);
  return z;
}

// @ts-ignore: decorator
@inline function actForwardS<T>(kind: i32, z: T): T {
  if (kind == ACT_RELU) return select<T>(<T>0, z, z < <T>0);
  if (kind == ACT_LEAKY) return select<T>(slopeTimesScalar<T>(z), z, z < <T>0);
  return z;
}

/** delta · f'(z): relu delta · (z > 0 ? 1 : 0) (a multiply, so ∞ · 0 is NaN as in JS); leaky delta · (z > 0 ? 1 : 0.01). */
// @ts-ignore: decorator
@inline function actBackwardV<T>(kind: i32, z: v128, delta: v128): v128 {
  const pos = v128.gt<T>(z, v128.splat<T>(<T>0));
  if (kind == ACT_RELU) return v128.mul<T>(delta, v128.and(v128.splat<T>(<T>1), pos));
  if (kind == ACT_LEAKY) return v128.bitselect(delta, slopeTimes<T>(delta), pos);
  return delta;
}

// @ts-ignore: decorator
@inline function actBackwardS<T>(kind: i32, z: T, delta: T): T {
  if (kind == ACT_RELU) return delta * select<T>(<T>1, <T>0, z > <T>0);
  if (kind == ACT_LEAKY) return select<T>(delta, slopeTimesScalar<T>(delta), z > <T>0);
  return delta;
}

/** out[p, n] = f(pre[p, n]) for n contiguous elements. */
// @ts-ignore: decorator
@inline function actForwardRun<T>(kind: i32, out: usize, pre: usize, n: i32): void {
  const S = <usize>sizeof<T>();
  const vBytes = <usize>(n - n % <i32>(16 / sizeof<T>())) * S;
  let off: usize = 0;
  for (; off < vBytes; off += 16) v128.store(out + off, actForwardV<T>(kind, v128.load(pre + off)));
  const end = <usize>n * S;
  for (; off < end; off += S) store<T>(out + off, actForwardS<T>(kind, load<T>(pre + off)));
}

/**
 * out[r·stride + offset + c] = f(pre[r·cols + c]): one layer's activations, into its strided output.
 * Inlined into each export with a constant kind, so every loop is specialised to one activation.
 */
// @ts-ignore: decorator
@inline function actForward<T>(kind: i32, pre: usize, out: usize, rows: i32, cols: i32, stride: i32, offset: i32): void {
  const S = <usize>sizeof<T>();
  if (stride == cols && offset == 0) {
    // the output layer: one contiguous run
    actForwardRun<T>(kind, out, pre, rows * cols);
    return;
  }
  for (let r = 0; r < rows; r++) {
    actForwardRun<T>(kind, out + <usize>(r * stride + offset) * S, pre + <usize>(r * cols) * S, cols);
  }
}

/** delta[i] ·= f'(pre[i]) for i < n. */
// @ts-ignore: decorator
@inline function actBackward<T>(kind: i32, pre: usize, delta: usize, n: i32): void {
  const S = <usize>sizeof<T>();
  const vBytes = <usize>(n - n % <i32>(16 / sizeof<T>())) * S;
  let off: usize = 0;
  for (; off < vBytes; off += 16) v128.store(delta + off, actBackwardV<T>(kind, v128.load(pre + off), v128.load(delta + off)));
  const end = <usize>n * S;
  for (; off < end; off += S) store<T>(delta + off, actBackwardS<T>(kind, load<T>(pre + off), load<T>(delta + off)));
}

/**
 * w[i] −= (lr · g[i]) / rows, in float64 as the trainer's JS loop computes it (float32: then
 * rounded once). `div` false: rows is a power of two, and the division is a multiplication by
 * 1 / rows instead, which gives the same bits (both round the same real number, x · 2^−k, and
 * 1 / rows is exact) at a fraction of a division's cost.
 */
// @ts-ignore: decorator
@inline function sgdLoop<T>(w: usize, g: usize, n: i32, lr: f64, rows: f64, div: bool): void {
  const S = <usize>sizeof<T>();
  const vl = f64x2.splat(lr), vr = f64x2.splat(rows), vi = f64x2.splat(1 / rows);
  const vBytes = <usize>(n - n % <i32>(16 / sizeof<T>())) * S;
  let off: usize = 0;
  for (; off < vBytes; off += 16) {
    const wv = v128.load(w + off), gv = v128.load(g + off);
    if (sizeof<T>() == 8) {
      const step = div ? f64x2.div(f64x2.mul(vl, gv), vr) : f64x2.mul(f64x2.mul(vl, gv), vi);
      v128.store(w + off, f64x2.sub(wv, step));
    } else {
      const lo = div ? f64x2.div(f64x2.mul(vl, promoteLo(gv)), vr) : f64x2.mul(f64x2.mul(vl, promoteLo(gv)), vi);
      const hi = div ? f64x2.div(f64x2.mul(vl, promoteHi(gv)), vr) : f64x2.mul(f64x2.mul(vl, promoteHi(gv)), vi);
      v128.store(w + off, demote2(f64x2.sub(promoteLo(wv), lo), f64x2.sub(promoteHi(wv), hi)));
    }
  }
  const end = <usize>n * S;
  for (; off < end; off += S) store<T>(w + off, <T>(<f64>load<T>(w + off) - (lr * <f64>load<T>(g + off)) / rows));
}

function sgd<T>(w: usize, g: usize, n: i32, lr: f64, rows: f64): void {
  // a power of two ≥ 1: no mantissa bits (rows is a batch size, a normal number)
  const pow2 = rows >= 1 && (reinterpret<u64>(rows) & 0x000f_ffff_ffff_ffff) == 0;
  if (pow2) sgdLoop<T>(w, g, n, lr, rows, false);
  else sgdLoop<T>(w, g, n, lr, rows, true);
}

/**
 * The pass for an activation kind (0 linear, 1 relu, 2 leaky relu), each branch inlined with its
 * kind a constant: one definition of the dispatch for both element types.
 */
// @ts-ignore: decorator
@inline function actForwardOfKind<T>(kind: i32, pre: usize, out: usize, rows: i32, cols: i32, stride: i32, offset: i32): void {
  if (kind == ACT_RELU) actForward<T>(ACT_RELU, pre, out, rows, cols, stride, offset);
  else if (kind == ACT_LEAKY) actForward<T>(ACT_LEAKY, pre, out, rows, cols, stride, offset);
  else actForward<T>(ACT_LINEAR, pre, out, rows, cols, stride, offset);
}

/** delta ·= f'(pre) for an activation kind (linear: nothing to do). */
// @ts-ignore: decorator
@inline function actBackwardOfKind<T>(kind: i32, pre: usize, delta: usize, n: i32): void {
  if (kind == ACT_RELU) actBackward<T>(ACT_RELU, pre, delta, n);
  else if (kind == ACT_LEAKY) actBackward<T>(ACT_LEAKY, pre, delta, n);
}

/** kind: 0 linear, 1 relu, 2 leaky relu. */
export function f64_actForward(kind: i32, pre: usize, out: usize, rows: i32, cols: i32, stride: i32, offset: i32): void {
  actForwardOfKind<f64>(kind, pre, out, rows, cols, stride, offset);
}

export function f64_actBackward(kind: i32, pre: usize, delta: usize, n: i32): void {
  actBackwardOfKind<f64>(kind, pre, delta, n);
}

export function f64_sgd(w: usize, g: usize, n: i32, lr: f64, rows: f64): void {
  sgd<f64>(w, g, n, lr, rows);
}

export function f32_actForward(kind: i32, pre: usize, out: usize, rows: i32, cols: i32, stride: i32, offset: i32): void {
  actForwardOfKind<f32>(kind, pre, out, rows, cols, stride, offset);
}

export function f32_actBackward(kind: i32, pre: usize, delta: usize, n: i32): void {
  actBackwardOfKind<f32>(kind, pre, delta, n);
}

export function f32_sgd(w: usize, g: usize, n: i32, lr: f64, rows: f64): void {
  sgd<f32>(w, g, n, lr, rows);
}
