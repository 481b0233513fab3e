#ifndef SCILEARN_CKERNELS_H
#define SCILEARN_CKERNELS_H

/// The engine's hand-vectorised kernels, in C so that each can be compiled for several
/// instruction sets (generic, AVX2 + FMA, AVX-512) and picked at run time: Swift code is built
/// for the x86-64 baseline, which has neither FMA nor 256-bit vectors.
///
/// Every code path computes the same operations in the same order (each dot product is one FMA
/// chain over the features, in order; ties go to the lowest centre), so results are bit-for-bit
/// identical whichever path runs.

/// The code path of the kernels: 0 generic, 1 AVX2 + FMA, 2 AVX-512.
int scilearn_kernel_level(void);

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
/// `dist[c * stride + (r - r0)]`.
long scilearn_lloyd_chunk(const double *x, long ld, long d, long r0, long r1,
                          const double *ct, const double *cc, long k, const double *w,
                          int *labels, double *best, const int *previous,
                          double *sums, double *weights, double *dist, long stride);

#endif
