/**
 * The three matrix products of a layer as WebAssembly SIMD kernels (AssemblyScript; compiled by
 * scripts/build-wasm.mjs into kernels.generated.ts). Same shapes and meaning as kernels.ts:
 *
 *   forward       pre (B, nOut)  = prev (B, nIn1) · W (nOut, nIn1)ᵀ
 *   backwardData  dPrev (B, nIn) = d (B, nOut) · W[:, 1:]
 *   weightGrad    G (nOut, nIn1) = dᵀ · prev
 *
 * Arguments are byte addresses in the imported memory (any address aligned to the element size:
 * loads need no 16-byte alignment) and sizes. Every kernel overwrites its output.
 *
 * Plain 128-bit SIMD (f64x2 / f32x4), no relaxed SIMD: no fused multiply-add, so float64 results
 * are the same bits on every runtime. Register blocking, measured on Node 20:
 *  - forward is a dot product along k (both operands contiguous in k): a 4 × 2 tile of (rows of
 *    prev) × (rows of W) keeps 8 vector accumulators, summed across lanes at the end.
 *  - backwardData and weightGrad are C = A · M with M's rows contiguous: a 2 × (4 vectors) tile
 *    of C, one splat-loaded A element per tile row and four vector loads of M per step of k. Each
 *    C element is then summed in the reference's order (k = 0, 1, 2, …).
 *  - 12 or more accumulators spill registers and run at half speed.
 */

// ---- generic over the element type T (f64 or f32); LANES = 2 or 4 -------------------------------

// @ts-ignore: decorator
@inline function hsum<T>(v: v128): T {
  if (sizeof<T>() == 8) {
    return v128.extract_lane<T>(v, 0) + v128.extract_lane<T>(v, 1);
  } else {
    return (v128.extract_lane<T>(v, 0) + v128.extract_lane<T>(v, 1)) + (v128.extract_lane<T>(v, 2) + v128.extract_lane<T>(v, 3));
  }
}

// @ts-ignore: decorator
@inline function fma<T>(acc: v128, a: v128, b: v128): v128 {
  return v128.add<T>(acc, v128.mul<T>(a, b));
}

/**
 * C (M, N) = A (M, K) · Bt (N, K)ᵀ, rows of A and Bt contiguous with stride K, C with stride N.
 */
function dotForm<T>(c: usize, a: usize, bt: usize, M: i32, K: i32, N: i32): void {
  const S = <usize>sizeof<T>();
  const LANES = <i32>(16 / sizeof<T>());
  const rowK = <usize>K * S;
  const rowC = <usize>N * S;
  const Kv = K - (K % LANES); // k covered by whole vectors
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
        s00 = fma<T>(s00, x0, w0); s10 = fma<T>(s10, x1, w0); s20 = fma<T>(s20, x2, w0); s30 = fma<T>(s30, x3, w0);
        s01 = fma<T>(s01, x0, w1); s11 = fma<T>(s11, x1, w1); s21 = fma<T>(s21, x2, w1); s31 = fma<T>(s31, x3, w1);
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
        s0 = fma<T>(s0, v128.load(a0 + off), w0); s1 = fma<T>(s1, v128.load(a1 + off), w0);
        s2 = fma<T>(s2, v128.load(a2 + off), w0); s3 = fma<T>(s3, v128.load(a3 + off), w0);
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
        s0 = fma<T>(s0, x0, v128.load(b0 + off)); s1 = fma<T>(s1, x0, v128.load(b1 + off));
        s2 = fma<T>(s2, x0, v128.load(b2 + off)); s3 = fma<T>(s3, x0, v128.load(b3 + off));
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
      for (let off: usize = 0; off < vBytes; off += 16) s0 = fma<T>(s0, v128.load(a0 + off), v128.load(b0 + off));
      let r0 = hsum<T>(s0);
      for (let k = Kv; k < K; k++) {
        const off = <usize>k * S;
        r0 += load<T>(a0 + off) * load<T>(b0 + off);
      }
      store<T>(c0 + <usize>n * S, r0);
    }
  }
}

/**
 * C (M, N) = A (M, K) · Bm (K, N): A[m, k] at a + (m·ams + k·aks)·S, Bm[k, n] at b + (k·ldb + n)·S,
 * C[m, n] at c + (m·N + n)·S. Each C element is summed over k = 0, 1, … in order.
 */
function splatForm<T>(c: usize, a: usize, ams: i32, aks: i32, b: usize, ldb: i32, M: i32, K: i32, N: i32): void {
  const S = <usize>sizeof<T>();
  const LANES = <i32>(16 / sizeof<T>());
  const TILE = 4 * LANES; // columns per 2 × (4 vectors) tile
  const stepA = <usize>aks * S;
  const rowA = <usize>ams * S;
  const stepB = <usize>ldb * S;
  const rowC = <usize>N * S;
  const zero = v128.splat<T>(<T>0);
  let m = 0;
  for (; m + 2 <= M; m += 2) {
    const a0 = a + <usize>m * rowA, a1 = a0 + rowA;
    const c0 = c + <usize>m * rowC, c1 = c0 + rowC;
    let n = 0;
    for (; n + TILE <= N; n += TILE) {
      let s00 = zero, s01 = zero, s02 = zero, s03 = zero;
      let s10 = zero, s11 = zero, s12 = zero, s13 = zero;
      let pa0 = a0, pa1 = a1, pb = b + <usize>n * S;
      for (let k = 0; k < K; k++) {
        const x0 = v128.load_splat<T>(pa0), x1 = v128.load_splat<T>(pa1);
        const w0 = v128.load(pb), w1 = v128.load(pb, 16), w2 = v128.load(pb, 32), w3 = v128.load(pb, 48);
        s00 = fma<T>(s00, x0, w0); s01 = fma<T>(s01, x0, w1); s02 = fma<T>(s02, x0, w2); s03 = fma<T>(s03, x0, w3);
        s10 = fma<T>(s10, x1, w0); s11 = fma<T>(s11, x1, w1); s12 = fma<T>(s12, x1, w2); s13 = fma<T>(s13, x1, w3);
        pa0 += stepA; pa1 += stepA; pb += stepB;
      }
      const o0 = c0 + <usize>n * S, o1 = c1 + <usize>n * S;
      v128.store(o0, s00); v128.store(o0, s01, 16); v128.store(o0, s02, 32); v128.store(o0, s03, 48);
      v128.store(o1, s10); v128.store(o1, s11, 16); v128.store(o1, s12, 32); v128.store(o1, s13, 48);
    }
    for (; n + LANES <= N; n += LANES) {
      let s0 = zero, s1 = zero;
      let pa0 = a0, pa1 = a1, pb = b + <usize>n * S;
      for (let k = 0; k < K; k++) {
        const w0 = v128.load(pb);
        s0 = fma<T>(s0, v128.load_splat<T>(pa0), w0); s1 = fma<T>(s1, v128.load_splat<T>(pa1), w0);
        pa0 += stepA; pa1 += stepA; pb += stepB;
      }
      v128.store(c0 + <usize>n * S, s0); v128.store(c1 + <usize>n * S, s1);
    }
    for (; n < N; n++) {
      let r0 = <T>0, r1 = <T>0;
      let pa0 = a0, pa1 = a1, pb = b + <usize>n * S;
      for (let k = 0; k < K; k++) {
        const w0 = load<T>(pb);
        r0 += load<T>(pa0) * w0; r1 += load<T>(pa1) * w0;
        pa0 += stepA; pa1 += stepA; pb += stepB;
      }
      store<T>(c0 + <usize>n * S, r0); store<T>(c1 + <usize>n * S, r1);
    }
  }
  if (m < M) {
    const a0 = a + <usize>m * rowA;
    const c0 = c + <usize>m * rowC;
    let n = 0;
    for (; n + TILE <= N; n += TILE) {
      let s0 = zero, s1 = zero, s2 = zero, s3 = zero;
      let pa0 = a0, pb = b + <usize>n * S;
      for (let k = 0; k < K; k++) {
        const x0 = v128.load_splat<T>(pa0);
        s0 = fma<T>(s0, x0, v128.load(pb)); s1 = fma<T>(s1, x0, v128.load(pb, 16));
        s2 = fma<T>(s2, x0, v128.load(pb, 32)); s3 = fma<T>(s3, x0, v128.load(pb, 48));
        pa0 += stepA; pb += stepB;
      }
      const o0 = c0 + <usize>n * S;
      v128.store(o0, s0); v128.store(o0, s1, 16); v128.store(o0, s2, 32); v128.store(o0, s3, 48);
    }
    for (; n + LANES <= N; n += LANES) {
      let s0 = zero;
      let pa0 = a0, pb = b + <usize>n * S;
      for (let k = 0; k < K; k++) {
        s0 = fma<T>(s0, v128.load_splat<T>(pa0), v128.load(pb));
        pa0 += stepA; pb += stepB;
      }
      v128.store(c0 + <usize>n * S, s0);
    }
    for (; n < N; n++) {
      let r0 = <T>0;
      let pa0 = a0, pb = b + <usize>n * S;
      for (let k = 0; k < K; k++) {
        r0 += load<T>(pa0) * load<T>(pb);
        pa0 += stepA; pb += stepB;
      }
      store<T>(c0 + <usize>n * S, r0);
    }
  }
}

// ---- exports: byte addresses and sizes -------------------------------------------------------

/** pre (B, nOut) = prev (B, nIn1) · W (nOut, nIn1)ᵀ */
export function f64_forward(pre: usize, prev: usize, W: usize, B: i32, nIn1: i32, nOut: i32): void {
  dotForm<f64>(pre, prev, W, B, nIn1, nOut);
}

/** dPrev (B, nIn) = d (B, nOut) · W[:, 1:] with W (nOut, nIn + 1) */
export function f64_backwardData(dPrev: usize, d: usize, W: usize, B: i32, nIn: i32, nOut: i32): void {
  splatForm<f64>(dPrev, d, nOut, 1, W + 8, nIn + 1, B, nOut, nIn);
}

/** G (nOut, nIn1) = dᵀ (nOut, B) · prev (B, nIn1) */
export function f64_weightGrad(G: usize, d: usize, prev: usize, B: i32, nIn1: i32, nOut: i32): void {
  splatForm<f64>(G, d, 1, nOut, prev, nIn1, nOut, B, nIn1);
}

export function f32_forward(pre: usize, prev: usize, W: usize, B: i32, nIn1: i32, nOut: i32): void {
  dotForm<f32>(pre, prev, W, B, nIn1, nOut);
}

export function f32_backwardData(dPrev: usize, d: usize, W: usize, B: i32, nIn: i32, nOut: i32): void {
  splatForm<f32>(dPrev, d, nOut, 1, W + 4, nIn + 1, B, nOut, nIn);
}

export function f32_weightGrad(G: usize, d: usize, prev: usize, B: i32, nIn1: i32, nOut: i32): void {
  splatForm<f32>(G, d, 1, nOut, prev, nIn1, nOut, B, nIn1);
}
