#include "CKernels.h"
#include "TwoSum.h"
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <immintrin.h>

// No contraction of a*b + c into an FMA behind our back: every path must round the same.
#pragma STDC FP_CONTRACT OFF

static int detected_level(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}

static int level_cap = 2;

/// How far ahead of the tile being measured its rows are fetched into cache: X is d column
/// streams, more than the hardware prefetchers follow.
#define PREFETCH_ROWS 128

/// Element (r, j) of X: column-major with leading dimension `ld` (8 rows of one feature are
/// one 64-byte line).
#define XAT(x, ld, d, r, j) ((x) + (r) + (j) * (ld))

// Both read by every thread that runs a kernel while a test may set the cap: relaxed atomics
// (each a word on its own; no ordering with other memory is needed).
static int detected_cache = -1;

int scilearn_kernel_level(void) {
    int detected = scilearn_kernel_detected();
    int cap = __atomic_load_n(&level_cap, __ATOMIC_RELAXED);
    return detected < cap ? detected : cap;
}

int scilearn_kernel_detected(void) {
    int detected = __atomic_load_n(&detected_cache, __ATOMIC_RELAXED);
    if (detected < 0) {
        detected = detected_level();
        __atomic_store_n(&detected_cache, detected, __ATOMIC_RELAXED);
    }
    return detected;
}

int scilearn_set_kernel_level(int level) {
    __atomic_store_n(&level_cap, level < 0 ? 0 : level, __ATOMIC_RELAXED);
    return scilearn_kernel_level();
}

/// One row against every centre, scalar: the reference every vector path reproduces.
static inline int nearest_scalar(const double *x, long ld, long d, long r,
                                 const double *ct, const double *cc, long k, double *bestOut,
                                 double *dist, long stride) {
    double best = INFINITY;
    int label = 0;
    for (long c = 0; c < k; c++) {
        double dot = 0;
        for (long j = 0; j < d; j++) dot = fma(*XAT(x, ld, d, r, j), ct[j * k + c], dot);
        double v = cc[c] - 2 * dot;
        if (dist) dist[c * stride] = v;
        if (v < best) { best = v; label = (int)c; }
    }
    *bestOut = best;
    return label;
}

/// Adds rows [a, b) to their centres' sums, in row order (each sum's additions in row order,
/// whatever the loop nesting).
static inline void accumulate(const double *x, long ld, long d, long r0, long a, long b,
                              const int *labels, const double *w, double *sums, double *weights) {
    if (w) {
        for (long r = a; r < b; r++) {
            long c = labels[r - r0];
            double *s = sums + c * d;
            double wr = w[r];
            for (long j = 0; j < d; j++) { double t = wr * *XAT(x, ld, d, r, j); s[j] += t; }
            weights[c] += wr;
        }
        return;
    }
    // Feature by feature: each column's rows are contiguous, the labels stay in registers.
    for (long j = 0; j < d; j++) {
        const double *xj = x + j * ld;
        double *sj = sums + j;
        for (long r = a; r < b; r++) sj[labels[r - r0] * d] += xj[r];
    }
    for (long r = a; r < b; r++) weights[labels[r - r0]] += 1;
}

#if defined(__x86_64__)
/// Eight rows against every centre, four centres at a time: 8 accumulators of 4 lanes.
__attribute__((target("avx2,fma")))
static void nearest8_avx2(const double *x, long ld, long d, long r,
                          const double *ct, const double *cc, long k, int *labels, double *best,
                          double *dist, long stride) {
    __m256d best0 = _mm256_set1_pd(INFINITY), best1 = best0;
    __m256d idx0 = _mm256_setzero_pd(), idx1 = idx0;
    const __m256d two = _mm256_set1_pd(2);
    long c = 0;
    for (; c + 4 <= k; c += 4) {
        __m256d a00 = _mm256_setzero_pd(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (long j = 0; j < d; j++) {
            const double *xj = XAT(x, ld, d, r, j);
            __m256d x0 = _mm256_loadu_pd(xj), x1 = _mm256_loadu_pd(xj + 4);
            const double *cj = ct + j * k + c;
            __m256d c0 = _mm256_broadcast_sd(cj), c1 = _mm256_broadcast_sd(cj + 1);
            __m256d c2 = _mm256_broadcast_sd(cj + 2), c3 = _mm256_broadcast_sd(cj + 3);
            a00 = _mm256_fmadd_pd(x0, c0, a00); a01 = _mm256_fmadd_pd(x1, c0, a01);
            a10 = _mm256_fmadd_pd(x0, c1, a10); a11 = _mm256_fmadd_pd(x1, c1, a11);
            a20 = _mm256_fmadd_pd(x0, c2, a20); a21 = _mm256_fmadd_pd(x1, c2, a21);
            a30 = _mm256_fmadd_pd(x0, c3, a30); a31 = _mm256_fmadd_pd(x1, c3, a31);
        }
        __m256d acc[4][2] = {{a00, a01}, {a10, a11}, {a20, a21}, {a30, a31}};
        for (int t = 0; t < 4; t++) {
            __m256d cct = _mm256_set1_pd(cc[c + t]), id = _mm256_set1_pd((double)(c + t));
            __m256d d0 = _mm256_sub_pd(cct, _mm256_mul_pd(two, acc[t][0]));
            __m256d d1 = _mm256_sub_pd(cct, _mm256_mul_pd(two, acc[t][1]));
            if (dist) { _mm256_storeu_pd(dist + (c + t) * stride, d0); _mm256_storeu_pd(dist + (c + t) * stride + 4, d1); }
            __m256d m0 = _mm256_cmp_pd(d0, best0, _CMP_LT_OQ), m1 = _mm256_cmp_pd(d1, best1, _CMP_LT_OQ);
            best0 = _mm256_blendv_pd(best0, d0, m0); idx0 = _mm256_blendv_pd(idx0, id, m0);
            best1 = _mm256_blendv_pd(best1, d1, m1); idx1 = _mm256_blendv_pd(idx1, id, m1);
        }
    }
    for (; c < k; c++) {
        __m256d a0 = _mm256_setzero_pd(), a1 = a0;
        for (long j = 0; j < d; j++) {
            const double *xj = XAT(x, ld, d, r, j);
            __m256d cj = _mm256_broadcast_sd(ct + j * k + c);
            a0 = _mm256_fmadd_pd(_mm256_loadu_pd(xj), cj, a0);
            a1 = _mm256_fmadd_pd(_mm256_loadu_pd(xj + 4), cj, a1);
        }
        __m256d cct = _mm256_set1_pd(cc[c]), id = _mm256_set1_pd((double)c);
        __m256d d0 = _mm256_sub_pd(cct, _mm256_mul_pd(two, a0)), d1 = _mm256_sub_pd(cct, _mm256_mul_pd(two, a1));
        if (dist) { _mm256_storeu_pd(dist + c * stride, d0); _mm256_storeu_pd(dist + c * stride + 4, d1); }
        __m256d m0 = _mm256_cmp_pd(d0, best0, _CMP_LT_OQ), m1 = _mm256_cmp_pd(d1, best1, _CMP_LT_OQ);
        best0 = _mm256_blendv_pd(best0, d0, m0); idx0 = _mm256_blendv_pd(idx0, id, m0);
        best1 = _mm256_blendv_pd(best1, d1, m1); idx1 = _mm256_blendv_pd(idx1, id, m1);
    }
    double b[8], ix[8];
    _mm256_storeu_pd(b, best0); _mm256_storeu_pd(b + 4, best1);
    _mm256_storeu_pd(ix, idx0); _mm256_storeu_pd(ix + 4, idx1);
    for (int i = 0; i < 8; i++) { best[i] = b[i]; labels[i] = (int)ix[i]; }
}

/// Eight rows (one register) against every centre, eight centres at a time.
__attribute__((target("avx512f")))
static void nearest8_avx512(const double *x, long ld, long d, long r,
                            const double *ct, const double *cc, long k, int *labels, double *best,
                            double *dist, long stride) {
    __m512d bestv = _mm512_set1_pd(INFINITY), idx = _mm512_setzero_pd();
    const __m512d two = _mm512_set1_pd(2);
    long c = 0;
    for (; c + 8 <= k; c += 8) {
        __m512d a[8];
        for (int t = 0; t < 8; t++) a[t] = _mm512_setzero_pd();
        for (long j = 0; j < d; j++) {
            __m512d xj = _mm512_loadu_pd(XAT(x, ld, d, r, j));
            const double *cj = ct + j * k + c;
            for (int t = 0; t < 8; t++) a[t] = _mm512_fmadd_pd(xj, _mm512_set1_pd(cj[t]), a[t]);
        }
        for (int t = 0; t < 8; t++) {
            __m512d v = _mm512_sub_pd(_mm512_set1_pd(cc[c + t]), _mm512_mul_pd(two, a[t]));
            if (dist) _mm512_storeu_pd(dist + (c + t) * stride, v);
            __mmask8 m = _mm512_cmp_pd_mask(v, bestv, _CMP_LT_OQ);
            bestv = _mm512_mask_mov_pd(bestv, m, v);
            idx = _mm512_mask_mov_pd(idx, m, _mm512_set1_pd((double)(c + t)));
        }
    }
    for (; c < k; c++) {
        __m512d a0 = _mm512_setzero_pd();
        for (long j = 0; j < d; j++) a0 = _mm512_fmadd_pd(_mm512_loadu_pd(XAT(x, ld, d, r, j)), _mm512_set1_pd(ct[j * k + c]), a0);
        __m512d v = _mm512_sub_pd(_mm512_set1_pd(cc[c]), _mm512_mul_pd(two, a0));
        if (dist) _mm512_storeu_pd(dist + c * stride, v);
        __mmask8 m = _mm512_cmp_pd_mask(v, bestv, _CMP_LT_OQ);
        bestv = _mm512_mask_mov_pd(bestv, m, v);
        idx = _mm512_mask_mov_pd(idx, m, _mm512_set1_pd((double)c));
    }
    double ix[8];
    _mm512_storeu_pd(best, bestv);
    _mm512_storeu_pd(ix, idx);
    for (int i = 0; i < 8; i++) labels[i] = (int)ix[i];
}
/// Sixteen rows (two registers) against every centre, eight centres at a time: 16 accumulators,
/// 2 loads of X and 8 broadcasts for 16 FMAs per feature. Same operations per (row, centre) as
/// the 8-row tile, so the same bits.
__attribute__((target("avx512f")))
static void nearest16_avx512(const double *x, long ld, long d, long r,
                             const double *ct, const double *cc, long k, int *labels, double *best,
                             double *dist, long stride) {
    __m512d best0 = _mm512_set1_pd(INFINITY), best1 = best0, idx0 = _mm512_setzero_pd(), idx1 = idx0;
    const __m512d two = _mm512_set1_pd(2);
    long c = 0;
    for (; c + 8 <= k; c += 8) {
        __m512d a0[8], a1[8];
        for (int t = 0; t < 8; t++) { a0[t] = _mm512_setzero_pd(); a1[t] = _mm512_setzero_pd(); }
        for (long j = 0; j < d; j++) {
            __m512d x0 = _mm512_loadu_pd(XAT(x, ld, d, r, j)), x1 = _mm512_loadu_pd(XAT(x, ld, d, r + 8, j));
            const double *cj = ct + j * k + c;
            for (int t = 0; t < 8; t++) {
                __m512d b = _mm512_set1_pd(cj[t]);
                a0[t] = _mm512_fmadd_pd(x0, b, a0[t]);
                a1[t] = _mm512_fmadd_pd(x1, b, a1[t]);
            }
        }
        for (int t = 0; t < 8; t++) {
            __m512d cct = _mm512_set1_pd(cc[c + t]), id = _mm512_set1_pd((double)(c + t));
            __m512d v0 = _mm512_sub_pd(cct, _mm512_mul_pd(two, a0[t])), v1 = _mm512_sub_pd(cct, _mm512_mul_pd(two, a1[t]));
            if (dist) { _mm512_storeu_pd(dist + (c + t) * stride, v0); _mm512_storeu_pd(dist + (c + t) * stride + 8, v1); }
            __mmask8 m0 = _mm512_cmp_pd_mask(v0, best0, _CMP_LT_OQ), m1 = _mm512_cmp_pd_mask(v1, best1, _CMP_LT_OQ);
            best0 = _mm512_mask_mov_pd(best0, m0, v0); idx0 = _mm512_mask_mov_pd(idx0, m0, id);
            best1 = _mm512_mask_mov_pd(best1, m1, v1); idx1 = _mm512_mask_mov_pd(idx1, m1, id);
        }
    }
    for (; c < k; c++) {
        __m512d a0 = _mm512_setzero_pd(), a1 = a0;
        for (long j = 0; j < d; j++) {
            __m512d b = _mm512_set1_pd(ct[j * k + c]);
            a0 = _mm512_fmadd_pd(_mm512_loadu_pd(XAT(x, ld, d, r, j)), b, a0);
            a1 = _mm512_fmadd_pd(_mm512_loadu_pd(XAT(x, ld, d, r + 8, j)), b, a1);
        }
        __m512d cct = _mm512_set1_pd(cc[c]), id = _mm512_set1_pd((double)c);
        __m512d v0 = _mm512_sub_pd(cct, _mm512_mul_pd(two, a0)), v1 = _mm512_sub_pd(cct, _mm512_mul_pd(two, a1));
        if (dist) { _mm512_storeu_pd(dist + c * stride, v0); _mm512_storeu_pd(dist + c * stride + 8, v1); }
        __mmask8 m0 = _mm512_cmp_pd_mask(v0, best0, _CMP_LT_OQ), m1 = _mm512_cmp_pd_mask(v1, best1, _CMP_LT_OQ);
        best0 = _mm512_mask_mov_pd(best0, m0, v0); idx0 = _mm512_mask_mov_pd(idx0, m0, id);
        best1 = _mm512_mask_mov_pd(best1, m1, v1); idx1 = _mm512_mask_mov_pd(idx1, m1, id);
    }
    double ix[16];
    _mm512_storeu_pd(best, best0); _mm512_storeu_pd(best + 8, best1);
    _mm512_storeu_pd(ix, idx0); _mm512_storeu_pd(ix + 8, idx1);
    for (int i = 0; i < 16; i++) labels[i] = (int)ix[i];
}

/// The 8 × 8 transpose of eight registers: `a[t]` holds feature t of eight rows; `v[i]` gets
/// row i's eight features. 24 shuffles.
__attribute__((target("avx512f")))
static inline void transpose8_avx512(const __m512d a[8], __m512d v[8]) {
    __m512d t0 = _mm512_unpacklo_pd(a[0], a[1]), t1 = _mm512_unpackhi_pd(a[0], a[1]);
    __m512d t2 = _mm512_unpacklo_pd(a[2], a[3]), t3 = _mm512_unpackhi_pd(a[2], a[3]);
    __m512d t4 = _mm512_unpacklo_pd(a[4], a[5]), t5 = _mm512_unpackhi_pd(a[4], a[5]);
    __m512d t6 = _mm512_unpacklo_pd(a[6], a[7]), t7 = _mm512_unpackhi_pd(a[6], a[7]);
    __m512d u0 = _mm512_shuffle_f64x2(t0, t2, 0x88), u1 = _mm512_shuffle_f64x2(t0, t2, 0xDD);
    __m512d u2 = _mm512_shuffle_f64x2(t4, t6, 0x88), u3 = _mm512_shuffle_f64x2(t4, t6, 0xDD);
    __m512d w0 = _mm512_shuffle_f64x2(t1, t3, 0x88), w1 = _mm512_shuffle_f64x2(t1, t3, 0xDD);
    __m512d w2 = _mm512_shuffle_f64x2(t5, t7, 0x88), w3 = _mm512_shuffle_f64x2(t5, t7, 0xDD);
    v[0] = _mm512_shuffle_f64x2(u0, u2, 0x88); v[4] = _mm512_shuffle_f64x2(u0, u2, 0xDD);
    v[2] = _mm512_shuffle_f64x2(u1, u3, 0x88); v[6] = _mm512_shuffle_f64x2(u1, u3, 0xDD);
    v[1] = _mm512_shuffle_f64x2(w0, w2, 0x88); v[5] = _mm512_shuffle_f64x2(w0, w2, 0xDD);
    v[3] = _mm512_shuffle_f64x2(w1, w3, 0x88); v[7] = _mm512_shuffle_f64x2(w1, w3, 0xDD);
}

/// Adds the unweighted rows [r, r + 16) to their centres' rows of `scratch` (k × dp, dp the
/// feature count rounded up to 8, padding zero): each 8 × 8 block of X transposed in registers
/// so that a row's features are added with one vector add per 8. Each sum still receives its
/// rows in row order, so the bits are those of the scalar loop.
__attribute__((target("avx512f")))
static void accumulate16_avx512(const double *x, long ld, long d, long r, const int *lab,
                                double *scratch, long dp) {
    for (long g = 0; g < 16; g += 8) {
        for (long j0 = 0; j0 < d; j0 += 8) {
            __m512d a[8], v[8];
            for (long t = 0; t < 8; t++)
                a[t] = j0 + t < d ? _mm512_loadu_pd(XAT(x, ld, d, r + g, j0 + t)) : _mm512_setzero_pd();
            transpose8_avx512(a, v);
            for (int i = 0; i < 8; i++) {
                double *s = scratch + (long)lab[g + i] * dp + j0;
                _mm512_storeu_pd(s, _mm512_add_pd(_mm512_loadu_pd(s), v[i]));
            }
        }
    }
}

/// Adds a 4 × 4 block of X (four features, each a vector of four rows) to the four rows'
/// centres' sums at features j0..j0+3, transposed in registers, in row order.
__attribute__((target("avx2,fma")))
static inline void add4x4_avx2(__m256d a0, __m256d a1, __m256d a2, __m256d a3, const int *lab, double *scratch, long dp, long j0) {
    __m256d t0 = _mm256_unpacklo_pd(a0, a1), t1 = _mm256_unpackhi_pd(a0, a1);
    __m256d t2 = _mm256_unpacklo_pd(a2, a3), t3 = _mm256_unpackhi_pd(a2, a3);
    __m256d v0 = _mm256_permute2f128_pd(t0, t2, 0x20), v1 = _mm256_permute2f128_pd(t1, t3, 0x20);
    __m256d v2 = _mm256_permute2f128_pd(t0, t2, 0x31), v3 = _mm256_permute2f128_pd(t1, t3, 0x31);
    double *s0 = scratch + (long)lab[0] * dp + j0, *s1 = scratch + (long)lab[1] * dp + j0;
    double *s2 = scratch + (long)lab[2] * dp + j0, *s3 = scratch + (long)lab[3] * dp + j0;
    _mm256_storeu_pd(s0, _mm256_add_pd(_mm256_loadu_pd(s0), v0));
    _mm256_storeu_pd(s1, _mm256_add_pd(_mm256_loadu_pd(s1), v1));
    _mm256_storeu_pd(s2, _mm256_add_pd(_mm256_loadu_pd(s2), v2));
    _mm256_storeu_pd(s3, _mm256_add_pd(_mm256_loadu_pd(s3), v3));
}

/// Adds the unweighted rows [r, r + 8) to their centres' rows of `scratch` (k × dp, dp the
/// feature count rounded up to 4, padding zero): each 4 × 4 block of X transposed in registers,
/// a row's features added four at a time (whole blocks first, branch-free; then the last,
/// partial one). Each sum receives its rows in row order: the scalar loop's bits.
__attribute__((target("avx2,fma")))
static void accumulate8_avx2(const double *x, long ld, long d, long r, const int *lab, double *scratch, long dp) {
    long j0 = 0;
    for (; j0 + 4 <= d; j0 += 4) {
        const double *p = XAT(x, ld, d, r, j0);
        add4x4_avx2(_mm256_loadu_pd(p), _mm256_loadu_pd(p + ld), _mm256_loadu_pd(p + 2 * ld), _mm256_loadu_pd(p + 3 * ld), lab, scratch, dp, j0);
        p += 4;
        add4x4_avx2(_mm256_loadu_pd(p), _mm256_loadu_pd(p + ld), _mm256_loadu_pd(p + 2 * ld), _mm256_loadu_pd(p + 3 * ld), lab + 4, scratch, dp, j0);
    }
    if (j0 < d) {
        long rem = d - j0;
        for (long g = 0; g < 8; g += 4) {
            const double *p = XAT(x, ld, d, r + g, j0);
            const __m256d z = _mm256_setzero_pd();
            add4x4_avx2(_mm256_loadu_pd(p), rem > 1 ? _mm256_loadu_pd(p + ld) : z, rem > 2 ? _mm256_loadu_pd(p + 2 * ld) : z, z,
                        lab + g, scratch, dp, j0);
        }
    }
}

/// The single-precision copy of the centres the certified AVX2 path measures with: `ctf`
/// feature-major as `ct`, `ccf` the squared norms, and `cmax` an upper bound on every centre's
/// norm (rounded up). Null `ctf` when it cannot be allocated.
typedef struct { float *ctf; float *ccf; float cmax; float *xf; } single_centres;

static single_centres single_centres_make(const double *ct, const double *cc, long k, long d) {
    single_centres s = {0};
    s.ctf = malloc(sizeof(float) * (size_t)(k * d + k + 16 * d));
    if (!s.ctf) return s;
    s.ccf = s.ctf + k * d;
    s.xf = s.ccf + k;
    for (long i = 0; i < k * d; i++) s.ctf[i] = (float)ct[i];
    double m = 0;
    for (long c = 0; c < k; c++) { s.ccf[c] = (float)cc[c]; if (cc[c] > m) m = cc[c]; }
    // sqrt rounds to nearest: one part in 2^-20 up covers it and the float conversion.
    s.cmax = (float)(sqrt(m) * (1 + 0x1p-20));
    if (!(m <= 1e36)) s.cmax = INFINITY;
    return s;
}

/// Sixteen rows against every centre in single precision (eight lanes, twice the double path's
/// rate; returns how many of the 16 labels the certificate gave), certified: for each row the nearest and second-nearest reduced distances are tracked,
/// and the nearest is kept only when the gap between them exceeds twice a bound on the single-
/// precision error of any reduced distance of that row (both roundings of x and c to float,
/// the d-term dot product, ‖c‖², the final subtraction, and an absolute term for underflow):
/// then the double path would pick the same centre, its own error being at least ~2^29/d times
/// smaller (its ‖c‖² term is d·2^-53·m² against the bound's 3u·m²).
/// A row whose gap is within the bound (a near tie), or whose values overflow float, is
/// measured again in double by `nearest_scalar`: labels are the scalar path's, always. `best`
/// (may be null) receives the double reduced distance of the chosen centre, computed as the
/// scalar path computes it.
///
/// The bound, for a row x and any centre c (u = 2^-24, n = ‖x‖, m ≥ ‖c‖):
/// |D̃ − D| ≤ u·(2(d + 4)·n·m + 3·m²) + 2^-140·(d + 2)·(1 + n + m).
__attribute__((target("avx2,fma")))
static int nearest16_certified_avx2(const double *x, const scilearn_single_rows *copy, long ld, long d, long r, const double *ct, const double *cc,
                                    long k, const single_centres *sc, int *labels, double *best) {
    // The tile's rows in float: from the single-precision copy of X when there is one (half
    // the bytes to stream), else rounded from X into the scratch tile (feature j at xf + j·xs);
    // their squared norms from the copy's, else formed here (the same FMA chain either way).
    const float *xf;
    long xs;
    __m256 n0 = _mm256_setzero_ps(), n1 = n0;
    if (copy && copy->norms) {
        xf = copy->x + r;
        xs = ld;
        n0 = _mm256_loadu_ps(copy->norms + r);
        n1 = _mm256_loadu_ps(copy->norms + r + 8);
    } else if (copy) {
        xf = copy->x + r;
        xs = ld;
        for (long j = 0; j < d; j++) {
            __m256 f0 = _mm256_loadu_ps(xf + j * xs), f1 = _mm256_loadu_ps(xf + j * xs + 8);
            n0 = _mm256_fmadd_ps(f0, f0, n0);
            n1 = _mm256_fmadd_ps(f1, f1, n1);
        }
    } else {
        xf = sc->xf;
        xs = 16;
        for (long j = 0; j < d; j++) {
            const double *xj = XAT(x, ld, d, r, j);
            __m256 f0 = _mm256_set_m128(_mm256_cvtpd_ps(_mm256_loadu_pd(xj + 4)), _mm256_cvtpd_ps(_mm256_loadu_pd(xj)));
            __m256 f1 = _mm256_set_m128(_mm256_cvtpd_ps(_mm256_loadu_pd(xj + 12)), _mm256_cvtpd_ps(_mm256_loadu_pd(xj + 8)));
            _mm256_storeu_ps(sc->xf + j * 16, f0);
            _mm256_storeu_ps(sc->xf + j * 16 + 8, f1);
            n0 = _mm256_fmadd_ps(f0, f0, n0);
            n1 = _mm256_fmadd_ps(f1, f1, n1);
        }
    }
    const __m256 inf = _mm256_set1_ps(INFINITY), two = _mm256_set1_ps(2);
    __m256 b10 = inf, b11 = inf, b20 = inf, b21 = inf;
    __m256 i0 = _mm256_setzero_ps(), i1 = i0;
    const float *ctf = sc->ctf;
    // A NaN distance (a centre near DBL_MAX whose float dot product met +inf and -inf) leaves
    // the nearest's index behind while min/max (which return their second operand on NaN) set
    // both running values to it, so the gap is 0 and the row goes back to double: the operand
    // order below is part of the certificate.
#define SCILEARN_TRACK(D0, D1, ID) do { \
        __m256 m0 = _mm256_cmp_ps(D0, b10, _CMP_LT_OQ), m1 = _mm256_cmp_ps(D1, b11, _CMP_LT_OQ); \
        b20 = _mm256_min_ps(b20, _mm256_max_ps(b10, D0)); b21 = _mm256_min_ps(b21, _mm256_max_ps(b11, D1)); \
        b10 = _mm256_min_ps(b10, D0); b11 = _mm256_min_ps(b11, D1); \
        i0 = _mm256_blendv_ps(i0, ID, m0); i1 = _mm256_blendv_ps(i1, ID, m1); } while (0)
    long c = 0;
    for (; c + 4 <= k; c += 4) {
        __m256 a00 = _mm256_setzero_ps(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (long j = 0; j < d; j++) {
            __m256 x0 = _mm256_loadu_ps(xf + j * xs), x1 = _mm256_loadu_ps(xf + j * xs + 8);
            const float *cj = ctf + j * k + c;
            __m256 c0 = _mm256_broadcast_ss(cj), c1 = _mm256_broadcast_ss(cj + 1);
            __m256 c2 = _mm256_broadcast_ss(cj + 2), c3 = _mm256_broadcast_ss(cj + 3);
            a00 = _mm256_fmadd_ps(x0, c0, a00); a01 = _mm256_fmadd_ps(x1, c0, a01);
            a10 = _mm256_fmadd_ps(x0, c1, a10); a11 = _mm256_fmadd_ps(x1, c1, a11);
            a20 = _mm256_fmadd_ps(x0, c2, a20); a21 = _mm256_fmadd_ps(x1, c2, a21);
            a30 = _mm256_fmadd_ps(x0, c3, a30); a31 = _mm256_fmadd_ps(x1, c3, a31);
        }
        __m256 acc[4][2] = {{a00, a01}, {a10, a11}, {a20, a21}, {a30, a31}};
        for (int t = 0; t < 4; t++) {
            __m256 cct = _mm256_set1_ps(sc->ccf[c + t]), id = _mm256_set1_ps((float)(c + t));
            __m256 d0 = _mm256_fnmadd_ps(two, acc[t][0], cct), d1 = _mm256_fnmadd_ps(two, acc[t][1], cct);
            SCILEARN_TRACK(d0, d1, id);
        }
    }
    for (; c < k; c++) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0;
        for (long j = 0; j < d; j++) {
            __m256 cj = _mm256_broadcast_ss(ctf + j * k + c);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j * xs), cj, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j * xs + 8), cj, a1);
        }
        __m256 cct = _mm256_set1_ps(sc->ccf[c]), id = _mm256_set1_ps((float)c);
        __m256 d0 = _mm256_fnmadd_ps(two, a0, cct), d1 = _mm256_fnmadd_ps(two, a1, cct);
        SCILEARN_TRACK(d0, d1, id);
    }
#undef SCILEARN_TRACK
    // The bound. n: the float norm, whose relative error (d + 3)·u/2 the factor 1.02 covers with
    // γ_d = d·u/(1 − d·u) for d ≤ 2^16 (the caller's limit); plus 2^-66 for rows whose squares
    // underflow (each |x̃ⱼ| < 2^-75, so ‖x‖ < 2^-66.5 there). Subnormal roundings of x, c and
    // the products are the absolute term's.
    const float m = sc->cmax, u = 0x1p-24f;
    const __m256 vm = _mm256_set1_ps(m), lin = _mm256_set1_ps(u * (float)(2 * (d + 4)) * 1.02f * m);
    const __m256 quad = _mm256_set1_ps(3 * u * m * m), tiny = _mm256_set1_ps(0x1p-140f * (float)(d + 2)), one = _mm256_set1_ps(1);
    const __m256 margin = _mm256_set1_ps(2.1f), floor = _mm256_set1_ps(0x1p-66f);
    __m256 nx0 = _mm256_add_ps(_mm256_sqrt_ps(n0), floor), nx1 = _mm256_add_ps(_mm256_sqrt_ps(n1), floor);
    __m256 e0 = _mm256_add_ps(_mm256_fmadd_ps(lin, nx0, quad), _mm256_mul_ps(tiny, _mm256_add_ps(_mm256_add_ps(one, nx0), vm)));
    __m256 e1 = _mm256_add_ps(_mm256_fmadd_ps(lin, nx1, quad), _mm256_mul_ps(tiny, _mm256_add_ps(_mm256_add_ps(one, nx1), vm)));
    // Certified: gap > 2.1·e (false for NaN or infinite gaps and bounds).
    __m256 ok0 = _mm256_cmp_ps(_mm256_sub_ps(b20, b10), _mm256_mul_ps(margin, e0), _CMP_GT_OQ);
    __m256 ok1 = _mm256_cmp_ps(_mm256_sub_ps(b21, b11), _mm256_mul_ps(margin, e1), _CMP_GT_OQ);
    ok0 = _mm256_and_ps(ok0, _mm256_cmp_ps(e0, inf, _CMP_LT_OQ));
    ok1 = _mm256_and_ps(ok1, _mm256_cmp_ps(e1, inf, _CMP_LT_OQ));
    int certified = _mm256_movemask_ps(ok0) | (_mm256_movemask_ps(ok1) << 8);
    if (certified == 0xFFFF && !best) {
        // Every label certified and no distances wanted (the common case): the indices are
        // exact small integers in float, converted and stored eight at a time.
        _mm256_storeu_si256((__m256i *)labels, _mm256_cvttps_epi32(i0));
        _mm256_storeu_si256((__m256i *)(labels + 8), _mm256_cvttps_epi32(i1));
        return 16;
    }
    float ix[16];
    _mm256_storeu_ps(ix, i0); _mm256_storeu_ps(ix + 8, i1);
    for (int i = 0; i < 16; i++) {
        if (certified >> i & 1) {
            long lab = (long)ix[i];
            labels[i] = (int)lab;
            if (best) {
                double dot = 0;
                for (long j = 0; j < d; j++) dot = fma(*XAT(x, ld, d, r + i, j), ct[j * k + lab], dot);
                best[i] = cc[lab] - 2 * dot;
            }
        } else {
            double b;
            labels[i] = nearest_scalar(x, ld, d, r + i, ct, cc, k, &b, NULL, 0);
            if (best) best[i] = b;
        }
    }
    return __builtin_popcount((unsigned)certified);
}

/// A copy of the k × d `sums` with rows padded to dp doubles (padding zero), so that vector
/// adds are whole; null when it cannot be allocated (the caller then adds in place).
static double *padded_sums(const double *sums, long k, long d, long dp) {
    double *scratch = calloc((size_t)(k * dp), sizeof(double));
    if (scratch)
        for (long c = 0; c < k; c++)
            for (long j = 0; j < d; j++) scratch[c * dp + j] = sums[c * d + j];
    return scratch;
}

/// Copies the padded sums back into `sums` and frees them.
static void unpad_sums(double *scratch, double *sums, long k, long d, long dp) {
    for (long c = 0; c < k; c++)
        for (long j = 0; j < d; j++) sums[c * d + j] = scratch[c * dp + j];
    free(scratch);
}
#endif

long scilearn_lloyd_chunk(const double *x, long ld, long d, long r0, long r1,
                          const double *ct, const double *cc, long k, const double *w,
                          int *labels, double *best, const int *previous,
                          double *sums, double *weights, double *dist, long stride) {
    return scilearn_lloyd_chunk_counted(x, NULL, ld, d, r0, r1, ct, cc, k, w, labels, best, previous, sums, weights, dist, stride, NULL);
}

#if defined(__x86_64__)
/// Whether single precision may be certified here: float subnormals must be kept (no
/// flush-to-zero or denormals-are-zero in MXCSR, which the bound's absolute term assumes), and
/// centre indices must be exact in a float (k ≤ 2^24) and the bound's constants valid (d ≤ 2^16).
static int single_precision_allowed(long k, long d) {
    return k <= (1L << 24) && d <= 65536 && (_mm_getcsr() & 0x8040) == 0;
}
#endif

long scilearn_lloyd_chunk_counted(const double *x, const scilearn_single_rows *single, long ld, long d, long r0, long r1,
                                  const double *ct, const double *cc, long k, const double *w,
                                  int *labels, double *best, const int *previous,
                                  double *sums, double *weights, double *dist, long stride, long *certified) {
    long certifiedRows = 0;
    int level = scilearn_kernel_level();
    long changed = 0;
    double tileBest[16];  // where a tile's reduced distances go when `best` is null
    long r = r0;
    // Tiles of 8 rows: a tile's d columns are d cache lines, still in cache when its rows are
    // added to the sums.
#if defined(__x86_64__)
    if (level == 2) {
        // Unweighted sums go to a padded copy of `sums` (rows of dp ≥ d doubles) so that every
        // vector add is whole; copied back before the remainder rows add theirs, in row order.
        long dp = (d + 7) & ~7L;
        double *scratch = sums && !w && r + 16 <= r1 ? padded_sums(sums, k, d, dp) : NULL;
        for (; r + 16 <= r1; r += 16) {
            int *lab = labels + (r - r0);
            if (r + PREFETCH_ROWS + 16 <= r1)
                for (long j = 0; j < d; j++) {
                    _mm_prefetch((const char *)XAT(x, ld, d, r + PREFETCH_ROWS, j), _MM_HINT_T0);
                    _mm_prefetch((const char *)XAT(x, ld, d, r + PREFETCH_ROWS + 8, j), _MM_HINT_T0);
                }
            nearest16_avx512(x, ld, d, r, ct, cc, k, lab, best ? best + (r - r0) : tileBest, dist ? dist + (r - r0) : NULL, stride);
            if (scratch) {
                accumulate16_avx512(x, ld, d, r, lab, scratch, dp);
                for (int i = 0; i < 16; i++) weights[lab[i]] += 1;
            } else if (sums) accumulate(x, ld, d, r0, r, r + 16, labels, w, sums, weights);
        }
        if (scratch) unpad_sums(scratch, sums, k, d, dp);
    }
    if (level == 1) {
        // The same shape on AVX2: 8-row tiles, X prefetched, unweighted sums by 4 × 4 transposes.
        long dp = (d + 3) & ~3L;
        double *scratch = sums && !w && r + 8 <= r1 ? padded_sums(sums, k, d, dp) : NULL;
        // Without the full distance table, distances in single precision, certified (16 rows a
        // tile; the scalar path's labels): twice the rate of the double tiles.
        single_centres sc = {0};
        if (!dist && r + 16 <= r1 && single_precision_allowed(k, d)) sc = single_centres_make(ct, cc, k, d);
        if (sc.ctf) {
            for (; r + 16 <= r1; r += 16) {
                int *lab = labels + (r - r0);
                // (Farther, or into L2 only, measured slower on W4.)
                const float *xf = single ? single->x : NULL;
                if (r + PREFETCH_ROWS + 16 <= r1) {
                    if (xf)
                        for (long j = 0; j < d; j++) {
                            _mm_prefetch((const char *)(xf + r + PREFETCH_ROWS + j * ld), _MM_HINT_T0);
                            _mm_prefetch((const char *)(xf + r + PREFETCH_ROWS + 15 + j * ld), _MM_HINT_T0);
                        }
                    else
                        for (long j = 0; j < d; j++) {
                            _mm_prefetch((const char *)XAT(x, ld, d, r + PREFETCH_ROWS, j), _MM_HINT_T0);
                            _mm_prefetch((const char *)XAT(x, ld, d, r + PREFETCH_ROWS + 8, j), _MM_HINT_T0);
                        }
                }
                certifiedRows += nearest16_certified_avx2(x, single, ld, d, r, ct, cc, k, &sc, lab, best ? best + (r - r0) : NULL);
                if (scratch) {
                    accumulate8_avx2(x, ld, d, r, lab, scratch, dp);
                    accumulate8_avx2(x, ld, d, r + 8, lab + 8, scratch, dp);
                    for (int i = 0; i < 16; i++) weights[lab[i]] += 1;
                } else if (sums) accumulate(x, ld, d, r0, r, r + 16, labels, w, sums, weights);
            }
            free(sc.ctf);
        }
        for (; r + 8 <= r1; r += 8) {
            int *lab = labels + (r - r0);
            if (r + PREFETCH_ROWS + 8 <= r1)
                for (long j = 0; j < d; j++) _mm_prefetch((const char *)XAT(x, ld, d, r + PREFETCH_ROWS, j), _MM_HINT_T0);
            nearest8_avx2(x, ld, d, r, ct, cc, k, lab, best ? best + (r - r0) : tileBest, dist ? dist + (r - r0) : NULL, stride);
            if (scratch) {
                accumulate8_avx2(x, ld, d, r, lab, scratch, dp);
                for (int i = 0; i < 8; i++) weights[lab[i]] += 1;
            } else if (sums) accumulate(x, ld, d, r0, r, r + 8, labels, w, sums, weights);
        }
        if (scratch) unpad_sums(scratch, sums, k, d, dp);
    }
#endif
    for (; r + 8 <= r1; r += 8) {
        int *lab = labels + (r - r0);
        double *bst = best ? best + (r - r0) : tileBest;
#if defined(__x86_64__)
        double *dst = dist ? dist + (r - r0) : NULL;
        if (level == 2) nearest8_avx512(x, ld, d, r, ct, cc, k, lab, bst, dst, stride);
        else if (level == 1) nearest8_avx2(x, ld, d, r, ct, cc, k, lab, bst, dst, stride);
        else
#endif
        for (int i = 0; i < 8; i++) lab[i] = nearest_scalar(x, ld, d, r + i, ct, cc, k, bst + i, dist ? dist + (r - r0) + i : NULL, stride);
        if (sums) accumulate(x, ld, d, r0, r, r + 8, labels, w, sums, weights);
    }
    for (; r < r1; r++) {
        labels[r - r0] = nearest_scalar(x, ld, d, r, ct, cc, k, best ? best + (r - r0) : tileBest, dist ? dist + (r - r0) : NULL, stride);
        if (sums) accumulate(x, ld, d, r0, r, r + 1, labels, w, sums, weights);
    }
    if (previous) {
        for (long i = 0; i < r1 - r0; i++) changed += labels[i] != previous[i];
    }
    if (certified) *certified = certifiedRows;
    return changed;
}


/// Moves row r from centre `from` to centre `to` (see `scilearn_lloyd_moves`).
static inline void move_row(const double *x, long ld, long d, long r, long to, long from,
                            double *sums, double *sumsLo, double *weights) {
    double *st = sums + to * d, *lt = sumsLo + to * d, *sf = sums + from * d, *lf = sumsLo + from * d;
    for (long j = 0; j < d; j++) {
        double v = *XAT(x, ld, d, r, j), s, e;
        two_sum(st[j], v, &s, &e);
        st[j] = s;
        lt[j] += e;
        two_sum(sf[j], -v, &s, &e);
        sf[j] = s;
        lf[j] += e;
    }
    weights[to] += 1;
    weights[from] -= 1;
}

long scilearn_lloyd_moves(const double *x, long ld, long d, long r0, long r1,
                          const int *labels, const int *previous,
                          double *sums, double *sumsLo, double *weights) {
    // Late in a fit a few hundred rows of a million move: the labels are compared eight at a
    // time (vectorised), and the moved rows, each d lines of the column-major X that are not
    // in cache, gathered in batches whose lines are all fetched before any is added (the
    // misses overlap instead of stalling one after another), then moved in row order.
    enum { BATCH = 32 };
    long batch[BATCH];
    long moved = 0, count = 0, r = r0;
    for (;;) {
        int end = r >= r1;
        if (!end) {
            const int *l = labels + (r - r0), *p = previous + (r - r0);
            if (r + 8 <= r1) {
                int diff = 0;
                for (int t = 0; t < 8; t++) diff |= l[t] ^ p[t];
                if (diff)
                    for (int t = 0; t < 8; t++)
                        if (l[t] != p[t]) batch[count++] = r + t;
                r += 8;
            } else {
                if (*l != *p) batch[count++] = r;
                r += 1;
            }
        }
        if (count > BATCH - 8 || (end && count > 0)) {
#if defined(__x86_64__)
            for (long b = 0; b < count; b++)
                for (long j = 0; j < d; j++) _mm_prefetch((const char *)XAT(x, ld, d, batch[b], j), _MM_HINT_T0);
#endif
            for (long b = 0; b < count; b++) {
                long row = batch[b];
                move_row(x, ld, d, row, labels[row - r0], previous[row - r0], sums, sumsLo, weights);
            }
            moved += count;
            count = 0;
        }
        if (end) break;
    }
    return moved;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void single_norms_avx2(const float *xf, long ld, long d, long r0, long r1, float *norms) {
    long r = r0;
    for (; r + 8 <= r1; r += 8) {
        __m256 a = _mm256_setzero_ps();
        for (long j = 0; j < d; j++) {
            __m256 v = _mm256_loadu_ps(xf + j * ld + r);
            a = _mm256_fmadd_ps(v, v, a);
        }
        _mm256_storeu_ps(norms + (r - r0), a);
    }
    for (; r < r1; r++) {
        float a = 0;
        for (long j = 0; j < d; j++) a = fmaf(xf[j * ld + r], xf[j * ld + r], a);
        norms[r - r0] = a;
    }
}
#endif

void scilearn_single_norms(const float *xf, long ld, long d, long r0, long r1, float *norms) {
#if defined(__x86_64__)
    if (scilearn_kernel_level() >= 1) {
        single_norms_avx2(xf, ld, d, r0, r1, norms);
        return;
    }
#endif
    for (long r = r0; r < r1; r++) {
        float a = 0;
        for (long j = 0; j < d; j++) a = fmaf(xf[j * ld + r], xf[j * ld + r], a);
        norms[r - r0] = a;
    }
}

/// The `m` candidates' reduced distances cc[c] − 2x·c for rows [b0, b1), into
/// out[c * stride + (r − b0)], with `acc` (m × (b1 − b0) doubles) as scratch.
/// The block is swept four features at a time, each candidate's running dot products updated
/// from four column runs read in order: the hardware's prefetchers follow four streams, where
/// the row tiles' d streams at once (20 on W4) outrun them and the software prefetch's misses
/// in flight. Each row's products are chained over the features in order from 0, as
/// `nearest_scalar` chains them, so the distances are its bits on every path.
static void candidate_distances_scalar(const double *x, long ld, long d, long b0, long b1, const double *ct, const double *cc,
                                       long m, double *acc, double *out, long stride) {
    long len = b1 - b0;
    for (long i = 0; i < m * len; i++) acc[i] = 0;
    for (long j = 0; j < d; j++) {
        const double *col = XAT(x, ld, d, b0, j);
        for (long c = 0; c < m; c++) {
            double cj = ct[j * m + c], *a = acc + c * len;
            for (long r = 0; r < len; r++) a[r] = fma(col[r], cj, a[r]);
        }
    }
    for (long c = 0; c < m; c++)
        for (long r = 0; r < len; r++) out[c * stride + r] = cc[c] - 2 * acc[c * len + r];
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void candidate_distances_avx2(const double *x, long ld, long d, long b0, long b1, const double *ct, const double *cc,
                                     long m, double *acc, double *out, long stride) {
    // Rows in whole vectors of 4 here; the rest by the scalar sweep (the same chains).
    long len = (b1 - b0) & ~3L;
    const __m256d two = _mm256_set1_pd(2);
    for (long i = 0; i < m * len; i++) acc[i] = 0;
    long j = 0;
    for (; j + 4 <= d; j += 4) {
        const double *x0 = XAT(x, ld, d, b0, j), *x1 = x0 + ld, *x2 = x1 + ld, *x3 = x2 + ld;
        for (long c = 0; c < m; c++) {
            __m256d c0 = _mm256_set1_pd(ct[j * m + c]), c1 = _mm256_set1_pd(ct[(j + 1) * m + c]);
            __m256d c2 = _mm256_set1_pd(ct[(j + 2) * m + c]), c3 = _mm256_set1_pd(ct[(j + 3) * m + c]);
            double *a = acc + c * len;
            for (long r = 0; r < len; r += 4) {
                __m256d v = _mm256_loadu_pd(a + r);
                v = _mm256_fmadd_pd(_mm256_loadu_pd(x0 + r), c0, v);
                v = _mm256_fmadd_pd(_mm256_loadu_pd(x1 + r), c1, v);
                v = _mm256_fmadd_pd(_mm256_loadu_pd(x2 + r), c2, v);
                v = _mm256_fmadd_pd(_mm256_loadu_pd(x3 + r), c3, v);
                _mm256_storeu_pd(a + r, v);
            }
        }
    }
    for (; j < d; j++) {
        const double *x0 = XAT(x, ld, d, b0, j);
        for (long c = 0; c < m; c++) {
            __m256d c0 = _mm256_set1_pd(ct[j * m + c]);
            double *a = acc + c * len;
            for (long r = 0; r < len; r += 4) _mm256_storeu_pd(a + r, _mm256_fmadd_pd(_mm256_loadu_pd(x0 + r), c0, _mm256_loadu_pd(a + r)));
        }
    }
    for (long c = 0; c < m; c++) {
        const __m256d cct = _mm256_set1_pd(cc[c]);
        const double *a = acc + c * len;
        double *o = out + c * stride;
        for (long r = 0; r < len; r += 4) _mm256_storeu_pd(o + r, _mm256_sub_pd(cct, _mm256_mul_pd(two, _mm256_loadu_pd(a + r))));
    }
    if (b0 + len < b1) candidate_distances_scalar(x, ld, d, b0 + len, b1, ct, cc, m, acc + m * len, out + len, stride);
}
#endif

/// For each of `m` distance rows of a block (`rows`, stride `stride`, `len` entries): v = max(0,
/// v + norms[r]) (NaN to 0, −0 kept, as `a >= 0 ? a : 0`) written back, and the row's term of
/// the candidate's potential, w[r]·min(closest[r], v) (w null: min(closest[r], v)), into
/// t[c * len + r].
static void clip_near_scalar(double *rows, long stride, const double *norms, const double *closest, const double *w,
                             long m, long len, double *t) {
    for (long c = 0; c < m; c++) {
        double *row = rows + c * stride, *tc = t + c * len;
        for (long r = 0; r < len; r++) {
            double a = row[r] + norms[r];
            double v = a >= 0 ? a : 0;
            row[r] = v;
            double near = v < closest[r] ? v : closest[r];
            tc[r] = w ? w[r] * near : near;
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void clip_near_avx2(double *rows, long stride, const double *norms, const double *closest, const double *w,
                           long m, long len, double *t) {
    long vec = len & ~3L;
    const __m256d zero = _mm256_setzero_pd();
    for (long c = 0; c < m; c++) {
        double *row = rows + c * stride, *tc = t + c * len;
        long r = 0;
        for (; r < vec; r += 4) {
            __m256d a = _mm256_add_pd(_mm256_loadu_pd(row + r), _mm256_loadu_pd(norms + r));
            __m256d v = _mm256_and_pd(a, _mm256_cmp_pd(a, zero, _CMP_GE_OQ));
            _mm256_storeu_pd(row + r, v);
            __m256d cl = _mm256_loadu_pd(closest + r);
            __m256d near = _mm256_blendv_pd(cl, v, _mm256_cmp_pd(v, cl, _CMP_LT_OQ));
            _mm256_storeu_pd(tc + r, w ? _mm256_mul_pd(_mm256_loadu_pd(w + r), near) : near);
        }
        clip_near_scalar(row + r, 0, norms + r, closest + r, w ? w + r : NULL, 1, len - r, tc + r);
    }
}
#endif

void scilearn_candidate_potentials(const double *x, long ld, long d, long r0, long r1,
                                   const double *ct, const double *cc, long m, const double *w,
                                   const double *norms, const double *closest, double *dist, long stride, double *pot) {
    // Blocks of rows whose m running dot products and distances stay in L1 (16 KiB each), at
    // least 8 rows.
    long block = (2048 / (m > 0 ? m : 1)) & ~7L;
    if (block < 8) block = 8;
    if (block > 512) block = 512;
    // (More than 256 candidates need the heap; should it fail, the row tiles give the same bits.)
    double local[2048], *acc = m * block <= 2048 ? local : malloc(sizeof(double) * (size_t)(m * block));
#if defined(__x86_64__)
    int wide = scilearn_kernel_level() >= 1;
#endif
    for (long b0 = r0; b0 < r1; b0 += block) {
        long b1 = b0 + block < r1 ? b0 + block : r1;
        double *rows = dist + (b0 - r0);
        if (!acc) {
            int labels[512];
            scilearn_lloyd_chunk(x, ld, d, b0, b1, ct, cc, m, NULL, labels, NULL, NULL, NULL, NULL, rows, stride);
            for (long c = 0; c < m; c++) {
                double p = pot[c];
                for (long r = b0; r < b1; r++) {
                    double term;
                    clip_near_scalar(rows + c * stride + (r - b0), 0, norms + r, closest + r, w ? w + r : NULL, 1, 1, &term);
                    p += term;
                }
                pot[c] = p;
            }
            continue;
        }
        long len = b1 - b0;
        const double *wb = w ? w + b0 : NULL;
#if defined(__x86_64__)
        if (wide) {
            candidate_distances_avx2(x, ld, d, b0, b1, ct, cc, m, acc, rows, stride);
            clip_near_avx2(rows, stride, norms + b0, closest + b0, wb, m, len, acc);
        } else
#endif
        {
            candidate_distances_scalar(x, ld, d, b0, b1, ct, cc, m, acc, rows, stride);
            clip_near_scalar(rows, stride, norms + b0, closest + b0, wb, m, len, acc);
        }
        // Each candidate's terms added in row order, four candidates' sums at a time (four
        // independent chains of additions instead of one).
        long c = 0;
        for (; c + 4 <= m; c += 4) {
            double p0 = pot[c], p1 = pot[c + 1], p2 = pot[c + 2], p3 = pot[c + 3];
            const double *t0 = acc + c * len, *t1 = t0 + len, *t2 = t1 + len, *t3 = t2 + len;
            for (long r = 0; r < len; r++) { p0 += t0[r]; p1 += t1[r]; p2 += t2[r]; p3 += t3[r]; }
            pot[c] = p0; pot[c + 1] = p1; pot[c + 2] = p2; pot[c + 3] = p3;
        }
        for (; c < m; c++) {
            double p = pot[c];
            const double *tc = acc + c * len;
            for (long r = 0; r < len; r++) p += tc[r];
            pot[c] = p;
        }
    }
    if (acc != local) free(acc);
}
