#include "CKernels.h"
#include "TwoSum.h"
#include <math.h>
#include <stdint.h>
#include <immintrin.h>

// No contraction of a*b + c into an FMA behind our back: every path must round the same.
#pragma STDC FP_CONTRACT OFF

/// Rows [r0, r0 + m) of the `cols` columns of `x`, element (i, j) as (x − shift[j])·f[i] (no
/// shift when `shift` is null, no factor when `f` is null; f indexed from r0), row-major into
/// `out` at column offset `col0`.
static void pack_rows_scalar(const double *x, long ld, long cols, const double *shift, const double *f,
                             long r0, long m, double *out, long stride, long col0) {
    for (long j = 0; j < cols; j++) {
        const double *src = x + r0 + j * ld;
        double *dst = out + col0 + j;
        double s = shift ? shift[j] : 0;
        if (f) for (long i = 0; i < m; i++) dst[i * stride] = (src[i] - s) * f[i];
        else for (long i = 0; i < m; i++) dst[i * stride] = src[i] - s;
    }
}

/// How far ahead, in rows, each column is fetched into cache while rows are packed: X is one
/// stream per column, more than the hardware prefetchers follow (measured on W1's 51 streams:
/// the packing pass 10 % faster at 256 rows than without; 64 to 1,024 rows all help).
#define PACK_PREFETCH_ROWS 256

#if defined(__x86_64__)
/// Four columns by four rows at a time: four loads, the shift and factor, a 4 × 4 transpose in
/// registers and four stores, where the scalar loop makes sixteen scattered stores. The same
/// operations per element as the scalar path.
__attribute__((target("avx2,fma")))
static void pack_rows_avx2(const double *x, long ld, long cols, const double *shift, const double *f,
                           long r0, long m, double *out, long stride, long col0) {
    long j = 0;
    for (; j + 4 <= cols; j += 4) {
        const double *s0 = x + r0 + j * ld, *s1 = s0 + ld, *s2 = s1 + ld, *s3 = s2 + ld;
        __m256d h0 = _mm256_set1_pd(shift ? shift[j] : 0), h1 = _mm256_set1_pd(shift ? shift[j + 1] : 0);
        __m256d h2 = _mm256_set1_pd(shift ? shift[j + 2] : 0), h3 = _mm256_set1_pd(shift ? shift[j + 3] : 0);
        long i = 0;
        for (; i + 4 <= m; i += 4) {
            if ((i & 7) == 0) {
                _mm_prefetch((const char *)(s0 + i + PACK_PREFETCH_ROWS), _MM_HINT_T0);
                _mm_prefetch((const char *)(s1 + i + PACK_PREFETCH_ROWS), _MM_HINT_T0);
                _mm_prefetch((const char *)(s2 + i + PACK_PREFETCH_ROWS), _MM_HINT_T0);
                _mm_prefetch((const char *)(s3 + i + PACK_PREFETCH_ROWS), _MM_HINT_T0);
            }
            __m256d a = _mm256_sub_pd(_mm256_loadu_pd(s0 + i), h0), b = _mm256_sub_pd(_mm256_loadu_pd(s1 + i), h1);
            __m256d c = _mm256_sub_pd(_mm256_loadu_pd(s2 + i), h2), d = _mm256_sub_pd(_mm256_loadu_pd(s3 + i), h3);
            if (f) {
                __m256d fv = _mm256_loadu_pd(f + i);
                a = _mm256_mul_pd(a, fv); b = _mm256_mul_pd(b, fv); c = _mm256_mul_pd(c, fv); d = _mm256_mul_pd(d, fv);
            }
            __m256d ab0 = _mm256_unpacklo_pd(a, b), ab1 = _mm256_unpackhi_pd(a, b);
            __m256d cd0 = _mm256_unpacklo_pd(c, d), cd1 = _mm256_unpackhi_pd(c, d);
            double *o = out + i * stride + col0 + j;
            _mm256_storeu_pd(o, _mm256_permute2f128_pd(ab0, cd0, 0x20));
            _mm256_storeu_pd(o + stride, _mm256_permute2f128_pd(ab1, cd1, 0x20));
            _mm256_storeu_pd(o + 2 * stride, _mm256_permute2f128_pd(ab0, cd0, 0x31));
            _mm256_storeu_pd(o + 3 * stride, _mm256_permute2f128_pd(ab1, cd1, 0x31));
        }
        if (i < m) pack_rows_scalar(x + j * ld, ld, 4, shift ? shift + j : 0, f ? f + i : 0, r0 + i, m - i,
                                    out + i * stride, stride, col0 + j);
    }
    if (j < cols) pack_rows_scalar(x + j * ld, ld, cols - j, shift ? shift + j : 0, f, r0, m, out, stride, col0 + j);
}
#endif

static void pack_rows(const double *x, long ld, long cols, const double *shift, const double *f,
                      long r0, long m, double *out, long stride, long col0) {
#if defined(__x86_64__)
    if (scilearn_kernel_level() >= 1) { pack_rows_avx2(x, ld, cols, shift, f, r0, m, out, stride, col0); return; }
#endif
    pack_rows_scalar(x, ld, cols, shift, f, r0, m, out, stride, col0);
}

void scilearn_pack_rows(const double *x, long ld, long cols, const double *shift, long r0, long m,
                        double *out, long stride, long col0) {
    pack_rows(x, ld, cols, shift, 0, r0, m, out, stride, col0);
}

void scilearn_pack_rows_scaled(const double *x, long ld, long cols, long r0, long m, const double *f,
                               double *out, long stride, int ones) {
    pack_rows(x, ld, cols, 0, f, r0, m, out, stride, 0);
    if (ones) for (long i = 0; i < m; i++) out[i * stride + cols] = f[i];
}

/// One tile of C += AᵀA, scalar: rows j0..j0+3 by columns k0..k0+4·nv-1 of C, each entry one FMA
/// chain over the rows of A in order, started from zero and then added to C: the order every
/// vector path reproduces.
static void gram_tile_scalar(const double *a, long m, long stride, double *c, long j0, long k0, int nv) {
    for (long j = j0; j < j0 + 4; j++) {
        for (long k = k0; k < k0 + 4 * nv; k++) {
            double t = 0;
            for (long i = 0; i < m; i++) t = fma(a[i * stride + j], a[i * stride + k], t);
            c[j * stride + k] += t;
        }
    }
}

#if defined(__x86_64__)
/// A 4 × 8 tile of C += AᵀA in AVX2 registers: per row of A, two loads and four broadcasts
/// feed eight FMAs; the eight accumulators stay in registers over all m rows (a 4 × 12 tile
/// needs all sixteen registers and the compiler spills one into the FMA chain).
__attribute__((target("avx2,fma")))
static void gram_tile8_avx2(const double *a, long m, long stride, double *c, long j0, long k0) {
    __m256d s00 = _mm256_setzero_pd(), s01 = s00, s10 = s00, s11 = s00;
    __m256d s20 = s00, s21 = s00, s30 = s00, s31 = s00;
    const double *row = a;
    for (long i = 0; i < m; i++, row += stride) {
        __m256d b0 = _mm256_loadu_pd(row + k0), b1 = _mm256_loadu_pd(row + k0 + 4);
        __m256d x = _mm256_broadcast_sd(row + j0);
        s00 = _mm256_fmadd_pd(x, b0, s00); s01 = _mm256_fmadd_pd(x, b1, s01);
        x = _mm256_broadcast_sd(row + j0 + 1);
        s10 = _mm256_fmadd_pd(x, b0, s10); s11 = _mm256_fmadd_pd(x, b1, s11);
        x = _mm256_broadcast_sd(row + j0 + 2);
        s20 = _mm256_fmadd_pd(x, b0, s20); s21 = _mm256_fmadd_pd(x, b1, s21);
        x = _mm256_broadcast_sd(row + j0 + 3);
        s30 = _mm256_fmadd_pd(x, b0, s30); s31 = _mm256_fmadd_pd(x, b1, s31);
    }
    double *c0 = c + j0 * stride + k0, *c1 = c0 + stride, *c2 = c1 + stride, *c3 = c2 + stride;
#define ADD(p, v) _mm256_storeu_pd((p), _mm256_add_pd(_mm256_loadu_pd(p), (v)))
    ADD(c0, s00); ADD(c0 + 4, s01);
    ADD(c1, s10); ADD(c1 + 4, s11);
    ADD(c2, s20); ADD(c2 + 4, s21);
    ADD(c3, s30); ADD(c3 + 4, s31);
}

/// A 4 × 4 tile, for the last columns of a row of tiles (8 columns are two of these).
__attribute__((target("avx2,fma")))
static void gram_tile4_avx2(const double *a, long m, long stride, double *c, long j0, long k0) {
    __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
    const double *row = a;
    for (long i = 0; i < m; i++, row += stride) {
        __m256d b0 = _mm256_loadu_pd(row + k0);
        s0 = _mm256_fmadd_pd(_mm256_broadcast_sd(row + j0), b0, s0);
        s1 = _mm256_fmadd_pd(_mm256_broadcast_sd(row + j0 + 1), b0, s1);
        s2 = _mm256_fmadd_pd(_mm256_broadcast_sd(row + j0 + 2), b0, s2);
        s3 = _mm256_fmadd_pd(_mm256_broadcast_sd(row + j0 + 3), b0, s3);
    }
    double *c0 = c + j0 * stride + k0;
    ADD(c0, s0); ADD(c0 + stride, s1); ADD(c0 + 2 * stride, s2); ADD(c0 + 3 * stride, s3);
#undef ADD
}
#endif

void scilearn_gram_accumulate(const double *a, long m, long stride, double *c) {
    int level = scilearn_kernel_level();
    for (long j0 = 0; j0 < stride; j0 += 4) {
        long k0 = j0;
        for (; k0 + 8 <= stride; k0 += 8) {
#if defined(__x86_64__)
            if (level >= 1) { gram_tile8_avx2(a, m, stride, c, j0, k0); continue; }
#endif
            gram_tile_scalar(a, m, stride, c, j0, k0, 2);
        }
        for (; k0 < stride; k0 += 4) {
#if defined(__x86_64__)
            if (level >= 1) { gram_tile4_avx2(a, m, stride, c, j0, k0); continue; }
#endif
            gram_tile_scalar(a, m, stride, c, j0, k0, 1);
        }
    }
}

/// Rows per chunk of the wide Gram kernel: each entry's FMA chain runs over one chunk, then is
/// added to C. 128 rows of 240 packed columns (240 KiB) stay in L2 while the tiles sweep them.
#define WIDE_GRAM_CHUNK 128
/// Packed columns per block of tiles' rows (a multiple of 8 and of 24).
#define WIDE_GRAM_BLOCK 240

/// The packed width for p columns: p rounded up to 24, a whole number of 8-column slivers and of
/// 6-column tiles.
static long wide_gram_width(long p) { return (p + 23) / 24 * 24; }

long scilearn_gram_upper_work(long p) { return WIDE_GRAM_CHUNK * wide_gram_width(p) + 4; }

/// A chunk's compensated sum of column j (rows [0, k) of `col`): one TwoSum chain over the rows
/// in order, folded into the running (hi, lo) of `sums[2j]`, `sums[2j + 1]`: the bits of the
/// AVX2 lanes.
static inline void chunk_sum_fold(double s, double e, double *sums, long j) {
    double t;
    two_sum(sums[2 * j], s, &sums[2 * j], &t);
    sums[2 * j + 1] += t + e;
}

static void chunk_sums_scalar(const double *a, long lda, long p, long k, double *sums) {
    for (long j = 0; j < p; j++) {
        const double *col = a + j * lda;
        double s = 0, e = 0;
        for (long q = 0; q < k; q++) {
            double t;
            two_sum(s, col[q], &s, &t);
            e += t;
        }
        chunk_sum_fold(s, e, sums, j);
    }
}

/// The scalar path: each entry on and above the diagonal, one FMA chain over each chunk's rows
/// in order from zero, added to C: the bits of the AVX2 tiles.
static void gram_upper_scalar(const double *a, long lda, long m, long p, double *c, long ldc, double *sums) {
    for (long r = 0; r < m; r += WIDE_GRAM_CHUNK) {
        long k = m - r < WIDE_GRAM_CHUNK ? m - r : WIDE_GRAM_CHUNK;
        if (sums) chunk_sums_scalar(a + r, lda, p, k, sums);
        for (long j = 0; j < p; j++) {
            const double *aj = a + r + j * lda;
            for (long i = 0; i <= j; i++) {
                const double *ai = a + r + i * lda;
                double t = 0;
                for (long q = 0; q < k; q++) t = fma(ai[q], aj[q], t);
                c[i + j * ldc] += t;
            }
        }
    }
}

#if defined(__x86_64__)
/// Rows [0, k) of the p columns of `a` into slivers of eight columns, row by row
/// (`out[s·k·8 + q·8 + c]` = a[q, 8s + c]), zeros past column p: 4 × 4 transposes in registers.
__attribute__((target("avx2,fma")))
static void wide_gram_pack(const double *a, long lda, long p, long width, long k, double *out) {
    for (long s = 0; s < width / 8; s++) {
        double *d = out + s * k * 8;
        for (long h = 0; h < 2; h++) {
            long j = s * 8 + 4 * h;
            if (j + 4 > p) {
                for (long q = 0; q < k; q++)
                    for (long c = 0; c < 4; c++) d[q * 8 + 4 * h + c] = j + c < p ? a[q + (j + c) * lda] : 0;
                continue;
            }
            const double *s0 = a + j * lda, *s1 = s0 + lda, *s2 = s1 + lda, *s3 = s2 + lda;
            long q = 0;
            for (; q + 4 <= k; q += 4) {
                __m256d x0 = _mm256_loadu_pd(s0 + q), x1 = _mm256_loadu_pd(s1 + q);
                __m256d x2 = _mm256_loadu_pd(s2 + q), x3 = _mm256_loadu_pd(s3 + q);
                __m256d ab0 = _mm256_unpacklo_pd(x0, x1), ab1 = _mm256_unpackhi_pd(x0, x1);
                __m256d cd0 = _mm256_unpacklo_pd(x2, x3), cd1 = _mm256_unpackhi_pd(x2, x3);
                double *o = d + q * 8 + 4 * h;
                _mm256_store_pd(o, _mm256_permute2f128_pd(ab0, cd0, 0x20));
                _mm256_store_pd(o + 8, _mm256_permute2f128_pd(ab1, cd1, 0x20));
                _mm256_store_pd(o + 16, _mm256_permute2f128_pd(ab0, cd0, 0x31));
                _mm256_store_pd(o + 24, _mm256_permute2f128_pd(ab1, cd1, 0x31));
            }
            for (; q < k; q++)
                for (long c = 0; c < 4; c++) d[q * 8 + 4 * h + c] = a[q + (j + c) * lda];
        }
    }
}

/// One step of a lane-wise TwoSum chain: s += x, the rounding error added to e.
#define CHAIN_STEP(s, e, x)                                                                                   \
    do {                                                                                                      \
        __m256d t_ = _mm256_add_pd(s, x), b_ = _mm256_sub_pd(t_, s);                                          \
        e = _mm256_add_pd(e, _mm256_add_pd(_mm256_sub_pd(s, _mm256_sub_pd(t_, b_)), _mm256_sub_pd(x, b_)));   \
        s = t_;                                                                                               \
    } while (0)

/// The chunk's compensated column sums from its packed slivers: per sliver two vectors of
/// TwoSum chains (one lane a column) over the rows in order, folded into `sums` as the scalar
/// path folds its chains. Two slivers at a time: four independent chains hide the additions'
/// latency (each chain, and so each bit, as one sliver at a time).
__attribute__((target("avx2,fma")))
static void chunk_sums_avx2(const double *packed, long p, long width, long k, double *sums) {
    long slivers = width / 8 < (p + 7) / 8 ? width / 8 : (p + 7) / 8;
    for (long sl = 0; sl < slivers; sl += 2) {
        int pair = sl + 1 < slivers;
        const double *d = packed + sl * k * 8, *f = pair ? d + k * 8 : d;
        __m256d s0 = _mm256_setzero_pd(), s1 = s0, e0 = s0, e1 = s0, s2 = s0, s3 = s0, e2 = s0, e3 = s0;
        for (long q = 0; q < k; q++) {
            __m256d x0 = _mm256_load_pd(d + q * 8), x1 = _mm256_load_pd(d + q * 8 + 4);
            __m256d x2 = _mm256_load_pd(f + q * 8), x3 = _mm256_load_pd(f + q * 8 + 4);
            CHAIN_STEP(s0, e0, x0);
            CHAIN_STEP(s1, e1, x1);
            CHAIN_STEP(s2, e2, x2);
            CHAIN_STEP(s3, e3, x3);
        }
        double s[16], e[16];
        _mm256_storeu_pd(s, s0); _mm256_storeu_pd(s + 4, s1); _mm256_storeu_pd(s + 8, s2); _mm256_storeu_pd(s + 12, s3);
        _mm256_storeu_pd(e, e0); _mm256_storeu_pd(e + 4, e1); _mm256_storeu_pd(e + 8, e2); _mm256_storeu_pd(e + 12, e3);
        for (long c = 0; c < (pair ? 16 : 8) && sl * 8 + c < p; c++) chunk_sum_fold(s[c], e[c], sums, sl * 8 + c);
    }
}
#undef CHAIN_STEP

/// One 8 × 6 tile of the chunk's products, rows i0..i0+7 by columns j0..j0+5 of C, in twelve
/// accumulators: per row of the chunk, two loads of the i sliver (`ai`) and six broadcasts from
/// the slivers holding columns j0..j0+5 feed twelve FMAs. Added to C directly when the tile is
/// whole (8 × 6 inside p × p), else through `tile`, only its first `rows` × `cols` entries.
__attribute__((target("avx2,fma")))
static void wide_gram_tile(long k, const double *ai, const double *packed, long j0, double *c, long ldc,
                           long rows, long cols) {
    __m256d c00 = _mm256_setzero_pd(), c01 = c00, c02 = c00, c03 = c00, c04 = c00, c05 = c00;
    __m256d c10 = c00, c11 = c00, c12 = c00, c13 = c00, c14 = c00, c15 = c00;
    const double *b0 = packed + ((j0) >> 3) * k * 8 + ((j0) & 7), *b1 = packed + ((j0 + 1) >> 3) * k * 8 + ((j0 + 1) & 7);
    const double *b2 = packed + ((j0 + 2) >> 3) * k * 8 + ((j0 + 2) & 7), *b3 = packed + ((j0 + 3) >> 3) * k * 8 + ((j0 + 3) & 7);
    const double *b4 = packed + ((j0 + 4) >> 3) * k * 8 + ((j0 + 4) & 7), *b5 = packed + ((j0 + 5) >> 3) * k * 8 + ((j0 + 5) & 7);
    for (long q = 0; q < k; q++, ai += 8) {
        long o = q * 8;
        __m256d a0 = _mm256_load_pd(ai), a1 = _mm256_load_pd(ai + 4), t;
        t = _mm256_broadcast_sd(b0 + o); c00 = _mm256_fmadd_pd(a0, t, c00); c10 = _mm256_fmadd_pd(a1, t, c10);
        t = _mm256_broadcast_sd(b1 + o); c01 = _mm256_fmadd_pd(a0, t, c01); c11 = _mm256_fmadd_pd(a1, t, c11);
        t = _mm256_broadcast_sd(b2 + o); c02 = _mm256_fmadd_pd(a0, t, c02); c12 = _mm256_fmadd_pd(a1, t, c12);
        t = _mm256_broadcast_sd(b3 + o); c03 = _mm256_fmadd_pd(a0, t, c03); c13 = _mm256_fmadd_pd(a1, t, c13);
        t = _mm256_broadcast_sd(b4 + o); c04 = _mm256_fmadd_pd(a0, t, c04); c14 = _mm256_fmadd_pd(a1, t, c14);
        t = _mm256_broadcast_sd(b5 + o); c05 = _mm256_fmadd_pd(a0, t, c05); c15 = _mm256_fmadd_pd(a1, t, c15);
    }
    if (rows == 8 && cols == 6) {
#define ADD(p, v) _mm256_storeu_pd((p), _mm256_add_pd(_mm256_loadu_pd(p), (v)))
        ADD(c, c00); ADD(c + 4, c10); c += ldc; ADD(c, c01); ADD(c + 4, c11); c += ldc;
        ADD(c, c02); ADD(c + 4, c12); c += ldc; ADD(c, c03); ADD(c + 4, c13); c += ldc;
        ADD(c, c04); ADD(c + 4, c14); c += ldc; ADD(c, c05); ADD(c + 4, c15);
#undef ADD
        return;
    }
    double tile[48];
    _mm256_storeu_pd(tile, c00); _mm256_storeu_pd(tile + 4, c10); _mm256_storeu_pd(tile + 8, c01); _mm256_storeu_pd(tile + 12, c11);
    _mm256_storeu_pd(tile + 16, c02); _mm256_storeu_pd(tile + 20, c12); _mm256_storeu_pd(tile + 24, c03); _mm256_storeu_pd(tile + 28, c13);
    _mm256_storeu_pd(tile + 32, c04); _mm256_storeu_pd(tile + 36, c14); _mm256_storeu_pd(tile + 40, c05); _mm256_storeu_pd(tile + 44, c15);
    for (long j = 0; j < cols; j++)
        for (long i = 0; i < rows; i++) c[i + j * ldc] += tile[i + 8 * j];
}

/// The chunks packed into `work` (aligned to 32 bytes), then tiles of 8 × 6 on and above the
/// diagonal, a block of 240 packed columns (in L2) at a time, each tile's six columns' slivers
/// in L1.
__attribute__((target("avx2,fma")))
static void gram_upper_avx2(const double *a, long lda, long m, long p, double *c, long ldc, double *work, double *sums) {
    long width = wide_gram_width(p);
    double *packed = (double *)(((uintptr_t)work + 31) & ~(uintptr_t)31);
    for (long r = 0; r < m; r += WIDE_GRAM_CHUNK) {
        long k = m - r < WIDE_GRAM_CHUNK ? m - r : WIDE_GRAM_CHUNK;
        wide_gram_pack(a + r, lda, p, width, k, packed);
        if (sums) chunk_sums_avx2(packed, p, width, k, sums);
        for (long ic = 0; ic < p; ic += WIDE_GRAM_BLOCK) {
            long ie = ic + WIDE_GRAM_BLOCK < p ? ic + WIDE_GRAM_BLOCK : p;
            for (long j0 = ic / 6 * 6; j0 < p; j0 += 6) {
                long cols = p - j0 < 6 ? p - j0 : 6;
                for (long i0 = ic; i0 < ie && i0 <= j0 + 5; i0 += 8) {
                    long rows = p - i0 < 8 ? p - i0 : 8;
                    wide_gram_tile(k, packed + (i0 / 8) * k * 8, packed, j0, c + i0 + j0 * ldc, ldc, rows, cols);
                }
            }
        }
    }
}
#endif

void scilearn_gram_upper(const double *a, long lda, long m, long p, double *c, long ldc, double *work, double *sums) {
#if defined(__x86_64__)
    if (scilearn_kernel_level() >= 1) { gram_upper_avx2(a, lda, m, p, c, ldc, work, sums); return; }
#endif
    (void)work;
    gram_upper_scalar(a, lda, m, p, c, ldc, sums);
}

/// One row's dot product, scalar: four FMA chains over the features j ≡ 0, 1, 2, 3 (mod 4) in
/// order, combined as (c0 + c2) + (c1 + c3), the tail added by FMA: what the AVX2 lanes do.
static double row_dot_scalar(const double *row, long p, const double *b) {
    double c[4] = {0, 0, 0, 0};
    long j = 0;
    for (; j + 4 <= p; j += 4)
        for (int l = 0; l < 4; l++) c[l] = fma(row[j + l], b[j + l], c[l]);
    double d = (c[0] + c[2]) + (c[1] + c[3]);
    for (; j < p; j++) d = fma(row[j], b[j], d);
    return d;
}

#if defined(__x86_64__)
/// Four rows at a time (four independent FMA chains in flight), each row's chain in the scalar
/// order.
__attribute__((target("avx2,fma")))
static inline double hsum_avx2(__m256d c) {
    __m128d u = _mm_add_pd(_mm256_castpd256_pd128(c), _mm256_extractf128_pd(c, 1));   // (c0 + c2, c1 + c3)
    return _mm_cvtsd_f64(_mm_add_sd(u, _mm_unpackhi_pd(u, u)));
}

__attribute__((target("avx2,fma")))
static void row_dots_avx2(const double *a, long m, long stride, long p, const double *b, double *out) {
    long p4 = p & ~3L, i = 0;
    for (; i + 4 <= m; i += 4) {
        const double *r0 = a + i * stride, *r1 = r0 + stride, *r2 = r1 + stride, *r3 = r2 + stride;
        __m256d c0 = _mm256_setzero_pd(), c1 = c0, c2 = c0, c3 = c0;
        for (long j = 0; j < p4; j += 4) {
            __m256d bj = _mm256_loadu_pd(b + j);
            c0 = _mm256_fmadd_pd(_mm256_loadu_pd(r0 + j), bj, c0);
            c1 = _mm256_fmadd_pd(_mm256_loadu_pd(r1 + j), bj, c1);
            c2 = _mm256_fmadd_pd(_mm256_loadu_pd(r2 + j), bj, c2);
            c3 = _mm256_fmadd_pd(_mm256_loadu_pd(r3 + j), bj, c3);
        }
        double d0 = hsum_avx2(c0), d1 = hsum_avx2(c1), d2 = hsum_avx2(c2), d3 = hsum_avx2(c3);
        for (long j = p4; j < p; j++) {
            d0 = fma(r0[j], b[j], d0); d1 = fma(r1[j], b[j], d1);
            d2 = fma(r2[j], b[j], d2); d3 = fma(r3[j], b[j], d3);
        }
        out[i] = d0; out[i + 1] = d1; out[i + 2] = d2; out[i + 3] = d3;
    }
    for (; i < m; i++) {
        const double *row = a + i * stride;
        __m256d c = _mm256_setzero_pd();
        for (long j = 0; j < p4; j += 4) c = _mm256_fmadd_pd(_mm256_loadu_pd(row + j), _mm256_loadu_pd(b + j), c);
        double d = hsum_avx2(c);
        for (long j = p4; j < p; j++) d = fma(row[j], b[j], d);
        out[i] = d;
    }
}

/// Four rows per load and store of g (the FMAs into each g[j] still in row order).
__attribute__((target("avx2,fma")))
static void rows_transpose_times_avx2(const double *a, long m, long stride, long p, const double *v, double *g) {
    long p4 = p & ~3L, i = 0;
    for (; i + 4 <= m; i += 4) {
        const double *r0 = a + i * stride, *r1 = r0 + stride, *r2 = r1 + stride, *r3 = r2 + stride;
        __m256d v0 = _mm256_set1_pd(v[i]), v1 = _mm256_set1_pd(v[i + 1]), v2 = _mm256_set1_pd(v[i + 2]), v3 = _mm256_set1_pd(v[i + 3]);
        for (long j = 0; j < p4; j += 4) {
            __m256d acc = _mm256_loadu_pd(g + j);
            acc = _mm256_fmadd_pd(v0, _mm256_loadu_pd(r0 + j), acc);
            acc = _mm256_fmadd_pd(v1, _mm256_loadu_pd(r1 + j), acc);
            acc = _mm256_fmadd_pd(v2, _mm256_loadu_pd(r2 + j), acc);
            acc = _mm256_fmadd_pd(v3, _mm256_loadu_pd(r3 + j), acc);
            _mm256_storeu_pd(g + j, acc);
        }
        for (long j = p4; j < p; j++) {
            double t = fma(v[i], r0[j], g[j]);
            t = fma(v[i + 1], r1[j], t); t = fma(v[i + 2], r2[j], t);
            g[j] = fma(v[i + 3], r3[j], t);
        }
    }
    for (; i < m; i++) {
        const double *row = a + i * stride;
        __m256d rv = _mm256_set1_pd(v[i]);
        for (long j = 0; j < p4; j += 4)
            _mm256_storeu_pd(g + j, _mm256_fmadd_pd(rv, _mm256_loadu_pd(row + j), _mm256_loadu_pd(g + j)));
        for (long j = p4; j < p; j++) g[j] = fma(v[i], row[j], g[j]);
    }
}
#endif

void scilearn_row_dots(const double *a, long m, long stride, long p, const double *b, double *out) {
#if defined(__x86_64__)
    if (scilearn_kernel_level() >= 1) { row_dots_avx2(a, m, stride, p, b, out); return; }
#endif
    for (long i = 0; i < m; i++) out[i] = row_dot_scalar(a + i * stride, p, b);
}

void scilearn_rows_transpose_times(const double *a, long m, long stride, long p, const double *v, double *g) {
#if defined(__x86_64__)
    if (scilearn_kernel_level() >= 1) { rows_transpose_times_avx2(a, m, stride, p, v, g); return; }
#endif
    for (long i = 0; i < m; i++)
        for (long j = 0; j < p; j++) g[j] = fma(v[i], a[i * stride + j], g[j]);
}

static void scale_rows_scalar(double *a, long m, long stride, long p, const double *f) {
    for (long i = 0; i < m; i++) {
        double *row = a + i * stride;
        double fi = f[i];
        for (long j = 0; j < p; j++) row[j] *= fi;
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void scale_rows_avx2(double *a, long m, long stride, long p, const double *f) {
    long p4 = p & ~3L;
    for (long i = 0; i < m; i++) {
        double *row = a + i * stride;
        __m256d fv = _mm256_set1_pd(f[i]);
        for (long j = 0; j < p4; j += 4) _mm256_storeu_pd(row + j, _mm256_mul_pd(_mm256_loadu_pd(row + j), fv));
        for (long j = p4; j < p; j++) row[j] *= f[i];
    }
}
#endif

void scilearn_scale_rows(double *a, long m, long stride, long p, const double *f) {
#if defined(__x86_64__)
    if (scilearn_kernel_level() >= 1) { scale_rows_avx2(a, m, stride, p, f); return; }
#endif
    scale_rows_scalar(a, m, stride, p, f);
}

double scilearn_residual_gradient(const double *a, long m, long stride, long p, const double *b, double *g) {
    double d[256], rss = 0;
    for (long i0 = 0; i0 < m; i0 += 256) {
        long c = m - i0 < 256 ? m - i0 : 256;
        const double *block = a + i0 * stride;
        scilearn_row_dots(block, c, stride, p, b, d);
        for (long i = 0; i < c; i++) {
            d[i] = block[i * stride + p] - d[i];
            rss = fma(d[i], d[i], rss);
        }
        scilearn_rows_transpose_times(block, c, stride, p, d, g);
    }
    return rss;
}


/// One block's eight lanes (sums s[l] with their rounding errors c[l]) folded in a fixed order
/// into hi + lo: the lane sums by TwoSum in lane order, every error added to lo.
static inline void fold_lanes(const double s[8], const double c[8], double *out) {
    double hi = s[0], lo = c[0];
    for (int l = 1; l < 8; l++) {
        double e;
        two_sum(hi, s[l], &hi, &e);
        lo += e + c[l];
    }
    out[0] = hi;
    out[1] = lo;
}

/// Compensated sums of consecutive blocks of 64 elements, each in eight lanes (lane l takes
/// elements l, l + 8, ... of its block in order, keeping its TwoSum errors), with max |v| and
/// finiteness: the scalar reference of the AVX2 path.
static int column_stats_scalar(const double *v, long count, double *sums, double *maxAbs) {
    double m = *maxAbs, f = 0;
    for (long b = 0; b * 64 < count; b++) {
        const double *p = v + b * 64;
        long n = count - b * 64 < 64 ? count - b * 64 : 64;
        double s[8] = {0, 0, 0, 0, 0, 0, 0, 0}, c[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (long i = 0; i < n; i++) {
            double a = fabs(p[i]), e;
            two_sum(s[i & 7], p[i], &s[i & 7], &e);
            c[i & 7] += e;
            m = a > m ? a : m;
            f += a * 0;
        }
        fold_lanes(s, c, sums + 2 * b);
    }
    *maxAbs = m;
    return f == 0;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static inline void two_sum_avx2(__m256d *s, __m256d *c, __m256d x) {
    __m256d t = _mm256_add_pd(*s, x), bp = _mm256_sub_pd(t, *s);
    __m256d e = _mm256_add_pd(_mm256_sub_pd(*s, _mm256_sub_pd(t, bp)), _mm256_sub_pd(x, bp));
    *c = _mm256_add_pd(*c, e);
    *s = t;
}

__attribute__((target("avx2,fma")))
static int column_stats_avx2(const double *v, long count, double *sums, double *maxAbs) {
    const __m256d sign = _mm256_set1_pd(-0.0), zero = _mm256_setzero_pd();
    __m256d m0 = _mm256_set1_pd(*maxAbs), m1 = m0, f0 = zero, f1 = zero;
    long b = 0;
    for (; (b + 1) * 64 <= count; b++) {
        const double *p = v + b * 64;
        __m256d s0 = zero, s1 = zero, c0 = zero, c1 = zero;
        for (int i = 0; i < 64; i += 8) {
            __m256d a = _mm256_loadu_pd(p + i), x = _mm256_loadu_pd(p + i + 4);
            two_sum_avx2(&s0, &c0, a); two_sum_avx2(&s1, &c1, x);
            __m256d aa = _mm256_andnot_pd(sign, a), xa = _mm256_andnot_pd(sign, x);
            m0 = _mm256_max_pd(m0, aa); m1 = _mm256_max_pd(m1, xa);
            f0 = _mm256_add_pd(f0, _mm256_mul_pd(aa, zero)); f1 = _mm256_add_pd(f1, _mm256_mul_pd(xa, zero));
        }
        double s[8], c[8];
        _mm256_storeu_pd(s, s0); _mm256_storeu_pd(s + 4, s1);
        _mm256_storeu_pd(c, c0); _mm256_storeu_pd(c + 4, c1);
        fold_lanes(s, c, sums + 2 * b);
    }
    double lanes[4];
    _mm256_storeu_pd(lanes, _mm256_max_pd(m0, m1));
    double m = lanes[0];
    for (int i = 1; i < 4; i++) m = lanes[i] > m ? lanes[i] : m;
    _mm256_storeu_pd(lanes, _mm256_add_pd(f0, f1));
    int finite = (lanes[0] + lanes[1] + lanes[2] + lanes[3]) == 0;
    *maxAbs = m;
    if (b * 64 < count) finite = column_stats_scalar(v + b * 64, count - b * 64, sums + 2 * b, maxAbs) && finite;
    return finite;
}
#endif

int scilearn_column_stats(const double *v, long count, double *sums, double *maxAbs) {
#if defined(__x86_64__)
    if (scilearn_kernel_level() >= 1) return column_stats_avx2(v, count, sums, maxAbs);
#endif
    return column_stats_scalar(v, count, sums, maxAbs);
}

/// One sample of the binary log-loss (LogisticLoss.binaryTerms's formulas): μ₁ = σ(t) and
/// μ₀ = 1 − μ₁ each without cancellation, the loss softplus(t) − y·t with log1p(z) by Kahan's
/// log(u)·z/(u − 1), the residual s(μ₁ − y) and the Hessian weight's square root √(s·μ₁μ₀).
static inline void binary_sample(double t, double z, double lg, long y, double s, double *e, double *root,
                                 double sums[3]) {
    double u = 1 + z;
    double mu1 = t >= 0 ? 1 / u : z / u, mu0 = t >= 0 ? z / u : 1 / u;
    double l1p = u == 1 ? z : lg * (z / (u - 1));
    double li = (t > 0 ? t : 0) + l1p - (y == 1 ? t : 0);
    sums[0] += s * li;
    sums[1] -= li;
    if ((y == 1 ? mu0 : mu1) < 1e-10) sums[2] += 1;
    *e = s * (mu1 - (y == 1 ? 1 : 0));
    double w = s * mu1 * mu0;
    *root = sqrt(w > 0 ? w : 0);
}

#if defined(__x86_64__) && defined(__linux__)
// glibc's vector exp and log (libmvec, AVX2 variants, within 4 ulps; since glibc 2.22).
__attribute__((target("avx2"))) extern __m256d _ZGVdN4v_exp(__m256d);
__attribute__((target("avx2"))) extern __m256d _ZGVdN4v_log(__m256d);

__attribute__((target("avx2,fma")))
static void binary_terms_avx2(const double *t, const long *y, const double *s, long m, double *e, double *root,
                              double sums[3]) {
    const __m256d sign = _mm256_set1_pd(-0.0), one = _mm256_set1_pd(1);
    long i = 0;
    for (; i + 4 <= m; i += 4) {
        __m256d tv = _mm256_loadu_pd(t + i);
        __m256d z = _ZGVdN4v_exp(_mm256_or_pd(tv, sign));        // exp(−|t|)
        __m256d lg = _ZGVdN4v_log(_mm256_add_pd(one, z));
        double zs[4], ls[4];
        _mm256_storeu_pd(zs, z);
        _mm256_storeu_pd(ls, lg);
        for (int l = 0; l < 4; l++) binary_sample(t[i + l], zs[l], ls[l], y[i + l], s[i + l], e + i + l, root + i + l, sums);
    }
    for (; i < m; i++) {
        double z = exp(-fabs(t[i]));
        binary_sample(t[i], z, log(1 + z), y[i], s[i], e + i, root + i, sums);
    }
}
#endif

void scilearn_binary_terms(const double *t, const long *y, const double *s, long m, double *e, double *root,
                           double sums[3]) {
#if defined(__x86_64__) && defined(__linux__)
    if (scilearn_kernel_level() >= 1) { binary_terms_avx2(t, y, s, m, e, root, sums); return; }
#endif
    for (long i = 0; i < m; i++) {
        double z = exp(-fabs(t[i]));
        binary_sample(t[i], z, log(1 + z), y[i], s[i], e + i, root + i, sums);
    }
}
