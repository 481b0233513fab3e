#ifndef SCILEARN_CKERNELS_H
#define SCILEARN_CKERNELS_H

/// The engine's hand-vectorised kernels, in C so that each can be compiled for several
/// instruction sets (generic, AVX2 + FMA, AVX-512) and picked at run time: Swift code is built
/// for the x86-64 baseline, which has neither FMA nor 256-bit vectors.
///
/// Every code path computes the same operations in the same order (each dot product is one FMA
/// chain over the features, in order; ties go to the lowest centre), so results are bit-for-bit
/// identical whichever path runs (one exception, which says so: `scilearn_binary_terms`, whose
/// vector path takes exp and log from glibc's libmvec).

/// The code path of the kernels: 0 generic, 1 AVX2 + FMA, 2 AVX-512.
int scilearn_kernel_level(void);

/// The code path the CPU supports, whatever the cap: for choices between the engine's kernels
/// and BLAS, whose bits differ, so that they do not change when tests cap the level.
int scilearn_kernel_detected(void);

/// Caps the code path at `level` (tests use it to compare paths); returns the level now in use.
int scilearn_set_kernel_level(int level);

/// One pass of the k-means assignment over rows [r0, r1) of the column-major matrix `x`
/// (leading dimension `ld`, `d` columns).
///
/// For each row: the index of the nearest of the `k` centres and its reduced distance
/// `cc[c] - 2 x·c`, where `ct` holds the centres feature-major (`ct[j*k + c]`) and `cc[c]` is
/// the centre's squared norm. `labels` and `best` are indexed from `r0`. Ties go to the lowest
/// index.
///
/// When `sums` is not null, each row is also added, times its weight (`w[r]`, or 1 when `w` is
/// null), to its centre's row of `sums` (k × d, centre-major), and the weight to `weights[c]`,
/// in row order. Returns the number of rows whose label differs from `previous[r - r0]` (0 when
/// `previous` is null).
///
/// When `dist` is not null, every reduced distance is written too: that of row r to centre c at
/// `dist[c * stride + (r - r0)]`. `best` may be null when the reduced distances are not wanted
/// (the AVX2 path then measures in single precision, certified, and never forms them in double).
long scilearn_lloyd_chunk(const double *x, long ld, long d, long r0, long r1,
                          const double *ct, const double *cc, long k, const double *w,
                          int *labels, double *best, const int *previous,
                          double *sums, double *weights, double *dist, long stride);

/// X rounded to single precision (`x`: the same layout and leading dimension as X) and, when
/// not null, each row's squared norm in single precision (`norms`, indexed by row, as
/// `scilearn_single_norms` forms them): what the AVX2 path's certified distances stream
/// instead of rounding X tile by tile (half the bytes; the labels are the same).
typedef struct {
    const float *x;
    const float *norms;
} scilearn_single_rows;

/// Row r's squared norm Σⱼ x̃ⱼ² in single precision, for r in [r0, r1), of the single-precision
/// copy `xf` (leading dimension `ld`, `d` columns), written to `norms[r - r0]`: one FMA chain
/// over the features in order, the bits the AVX2 tile forms itself when not given them.
void scilearn_single_norms(const float *xf, long ld, long d, long r0, long r1, float *norms);

/// ``scilearn_lloyd_chunk``, also writing to `certified` (when not null) how many rows took
/// their label from the single-precision certificate (0 off the AVX2 path). `single`, when not
/// null, is X's single-precision copy (``scilearn_single_rows``), streamed by the AVX2 path.
long scilearn_lloyd_chunk_counted(const double *x, const scilearn_single_rows *single, long ld, long d, long r0, long r1,
                                  const double *ct, const double *cc, long k, const double *w,
                                  int *labels, double *best, const int *previous,
                                  double *sums, double *weights, double *dist, long stride, long *certified);

/// Moves the unweighted rows [r0, r1) whose label changed (`labels[r - r0]` against
/// `previous[r - r0]`, both valid centres) between their centres' sums: row r leaves
/// sums[previous] and joins sums[label] (k × d, centre-major), each addition compensated
/// (Knuth's TwoSum: `sums` holds the rounded running value, `sumsLo` the accumulated rounding
/// errors), in row order, and its count moves in `weights` (exact: whole numbers). Scalar, the
/// same bits on every path. Returns how many rows moved. The sums of a Lloyd pass in
/// O(n + moved rows · d) instead of O(n · d).
long scilearn_lloyd_moves(const double *x, long ld, long d, long r0, long r1,
                          const int *labels, const int *previous,
                          double *sums, double *sumsLo, double *weights);

/// k-means++'s candidates over rows [r0, r1): for each row r and each of the `m` candidates
/// (`ct`, `cc` as ``scilearn_lloyd_chunk`` takes centres), the squared distance
/// v = max(0, norms[r] + cc[c] − 2x·c) (scikit-learn's `_euclidean_distances`, clipped at 0; a
/// NaN gives 0) written to `dist[c * stride + (r - r0)]`, and pot[c] += w[r]·min(closest[r], v)
/// (w null: weight 1), each candidate's rows added in row order. The reduced distances are
/// `scilearn_lloyd_chunk`'s bits (one FMA chain over the features in order), swept over blocks
/// of rows four features at a time, so every path gives the same bits.
void scilearn_candidate_potentials(const double *x, long ld, long d, long r0, long r1,
                                   const double *ct, const double *cc, long m, const double *w,
                                   const double *norms, const double *closest, double *dist, long stride, double *pot);

/// Packs rows [r0, r0 + m) of the `cols` columns of the column-major `x` (leading dimension
/// `ld`), each minus `shift[j]` (no shift when `shift` is null), into `out` row-major: row i at
/// `out + i * stride + col0`.
void scilearn_pack_rows(const double *x, long ld, long cols, const double *shift, long r0, long m,
                        double *out, long stride, long col0);

/// Packs rows [r0, r0 + m) of the `cols` columns of the column-major `x` into `out` row-major
/// (row i at `out + i * stride`), row i multiplied by `f[i]`; with `ones`, column `cols` of row i
/// is `f[i]` (a scaled column of ones). `f` is indexed from r0.
void scilearn_pack_rows_scaled(const double *x, long ld, long cols, long r0, long m, const double *f,
                               double *out, long stride, int ones);

/// C += AᵀA for the row-major m × stride block `a` (stride a multiple of 4): C is stride ×
/// stride, row-major, and only its 4 × 4 blocks on and above the diagonal are written (the
/// upper triangle and the lower halves of the diagonal blocks). Each entry is one FMA chain
/// over the rows in order, so every code path gives the same bits.
void scilearn_gram_accumulate(const double *a, long m, long stride, double *c);

/// Doubles of work space ``scilearn_gram_upper`` needs for `p` columns (one chunk of rows
/// packed, plus alignment).
long scilearn_gram_upper_work(long p);

/// C += AᵀA on and above the diagonal, for the column-major m × p matrix `a` (leading dimension
/// `lda`) and the column-major p × p `c` (leading dimension `ldc`): the Gram product of wide
/// tall data (p in the hundreds), for which OpenBLAS's `dsyrk` runs below its `dgemm` rate.
/// Rows are taken in chunks of 128; each entry is one FMA chain over a chunk's rows in order,
/// added to C chunk by chunk, so the scalar and AVX2 paths give the same bits on and above the
/// diagonal (the AVX2 path, in 8 × 6 tiles, may also add to entries below it, within a tile's reach; callers
/// mirror the upper triangle). `work` holds ``scilearn_gram_upper_work(p)`` doubles.
///
/// When `sums` is not null (2·p doubles), each column's sum is added to it as a double-double
/// (`sums[2j]` high, `sums[2j + 1]` low), from the packed rows (AVX2) or the columns (scalar): per chunk one TwoSum chain over
/// the rows in order, its sum and accumulated error then folded in by TwoSum, the same bits on
/// both paths; a validation pass then need not read X again (PCA's `covariance_eigh`).
///
/// Complexity: m·p² flops (on and near the diagonal).
void scilearn_gram_upper(const double *a, long lda, long m, long p, double *c, long ldc, double *work, double *sums);

/// out[i] = Σ_{j<p} a[i][j]·b[j] for the row-major m × stride block `a` (four FMA lanes, the
/// same bits on every path).
void scilearn_row_dots(const double *a, long m, long stride, long p, const double *b, double *out);

/// g[j] += Σ_i v[i]·a[i][j] for j < p, each g[j] one FMA chain over the rows in order.
void scilearn_rows_transpose_times(const double *a, long m, long stride, long p, const double *v, double *g);

/// The binary log-loss terms of m samples with scores `t`, labels `y` (0 or 1) and weights `s`:
/// the residuals e[i] = s(μ₁ − y), the Hessian weights' square roots root[i] = √(s·μ₁μ₀), and,
/// in sample order, sums[0] += Σ s·loss, sums[1] −= Σ loss, sums[2] += the samples whose own
/// class has probability within 1e-10 of 1. The AVX2 path takes exp and log four at a time from
/// glibc's libmvec (within 4 ulps), the scalar path from libm: the two agree to a few ulps per
/// sample, not bit for bit.
void scilearn_binary_terms(const double *t, const long *y, const double *s, long m, double *e, double *root,
                           double sums[3]);

/// a[i][j] *= f[i] for j < p.
void scilearn_scale_rows(double *a, long m, long stride, long p, const double *f);

/// For the row-major m × stride block `a` whose first p columns are a design and column p a
/// target: r_i = a[i][p] − Σ_j a[i][j]·b[j] and g += Σ_i r_i·a[i][0..<p]; returns Σ r_i².
/// Every code path gives the same bits.
double scilearn_residual_gradient(const double *a, long m, long stride, long p, const double *b, double *g);

/// Compensated sums of the consecutive blocks of 64 of the `count` elements at `v`: block b's
/// sum is `sums[2b] + sums[2b + 1]` (hi, lo) to within an ulp of its lo, each block summed in
/// eight lanes with TwoSum in a fixed order (the same bits on every path); raises `*maxAbs` to
/// the largest |v|. Returns 1 when every element is finite, 0 otherwise (the maximum and sums
/// are then meaningless).
int scilearn_column_stats(const double *v, long count, double *sums, double *maxAbs);

/// Advises the kernel to back the 2 MiB-aligned interior of [base, base + bytes), a fresh buffer
/// about to be written in full, with huge pages (Linux's transparent huge pages in "madvise"
/// mode; nothing elsewhere, and nothing when it declines): one fault per 2 MiB instead of one per
/// 4 KiB, a few hundred entries to unmap, and far fewer TLB misses for a reader that writes 50
/// columns 8 MB apart (W1's .npy read: 570-750 ms without, 170-230 ms with; the CSV read
/// unchanged within the host's noise). The engine's large work buffers and the data readers'
/// matrices use it. Faulting every page in first (`MADV_POPULATE_WRITE`)
/// was tried and left out: one thread then clears the whole matrix while the other waits.
void scilearn_advise_huge_pages(void *base, long bytes);

#endif
