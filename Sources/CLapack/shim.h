// CLapack: the system BLAS (CBLAS interface) and the LAPACK routines SciLearn calls.
//
// BLAS comes from Debian's <cblas.h> (libblas-dev). LAPACK's Fortran symbols are declared here by
// hand instead of through <lapack.h> (which Debian ships only with liblapacke-dev) so that the
// build needs nothing beyond liblapack-dev, and so that the hidden string-length arguments
// gfortran appends for CHARACTER parameters are explicit (size_t, one per character argument).
// At run time `libblas.so.3` / `liblapack.so.3` resolve to OpenBLAS through Debian's alternatives.
#ifndef SCILEARN_CLAPACK_SHIM_H
#define SCILEARN_CLAPACK_SHIM_H

#include <stddef.h>
#include <cblas.h>

typedef int lapack_int_t;

// QR factorisation of a triangular-pentagonal pair [A; B] (A upper triangular n×n, B m×n).
void dtpqrt_(const lapack_int_t *m, const lapack_int_t *n, const lapack_int_t *l,
             const lapack_int_t *nb, double *a, const lapack_int_t *lda, double *b,
             const lapack_int_t *ldb, double *t, const lapack_int_t *ldt, double *work,
             lapack_int_t *info);

// Inverse of a triangular matrix.
void dtrtri_(const char *uplo, const char *diag, const lapack_int_t *n, double *a,
             const lapack_int_t *lda, lapack_int_t *info, size_t uplo_len, size_t diag_len);

// Singular value decomposition (divide and conquer).
void dgesdd_(const char *jobz, const lapack_int_t *m, const lapack_int_t *n, double *a,
             const lapack_int_t *lda, double *s, double *u, const lapack_int_t *ldu, double *vt,
             const lapack_int_t *ldvt, double *work, const lapack_int_t *lwork,
             lapack_int_t *iwork, lapack_int_t *info, size_t jobz_len);

// The pieces of dtrtri's and dgebrd's blocked loops, which the engine drives itself so that it
// can check for cancellation between blocks: unblocked triangular inverse, a panel of the
// bidiagonal reduction, its unblocked tail, and the bidiagonal SVD (values only).
void dtrti2_(const char *uplo, const char *diag, const lapack_int_t *n, double *a,
             const lapack_int_t *lda, lapack_int_t *info, size_t uplo_len, size_t diag_len);
void dlabrd_(const lapack_int_t *m, const lapack_int_t *n, const lapack_int_t *nb, double *a,
             const lapack_int_t *lda, double *d, double *e, double *tauq, double *taup, double *x,
             const lapack_int_t *ldx, double *y, const lapack_int_t *ldy);
void dgebd2_(const lapack_int_t *m, const lapack_int_t *n, double *a, const lapack_int_t *lda,
             double *d, double *e, double *tauq, double *taup, double *work, lapack_int_t *info);
void dbdsdc_(const char *uplo, const char *compq, const lapack_int_t *n, double *d, double *e,
             double *u, const lapack_int_t *ldu, double *vt, const lapack_int_t *ldvt, double *q,
             lapack_int_t *iq, double *work, lapack_int_t *iwork, lapack_int_t *info,
             size_t uplo_len, size_t compq_len);
// Apply a block of QR (LQ) reflectors to a matrix: the bidiagonal reduction's Q (P) panel by
// panel.
void dormqr_(const char *side, const char *trans, const lapack_int_t *m, const lapack_int_t *n,
             const lapack_int_t *k, const double *a, const lapack_int_t *lda, const double *tau,
             double *c, const lapack_int_t *ldc, double *work, const lapack_int_t *lwork,
             lapack_int_t *info, size_t side_len, size_t trans_len);
void dormlq_(const char *side, const char *trans, const lapack_int_t *m, const lapack_int_t *n,
             const lapack_int_t *k, const double *a, const lapack_int_t *lda, const double *tau,
             double *c, const lapack_int_t *ldc, double *work, const lapack_int_t *lwork,
             lapack_int_t *info, size_t side_len, size_t trans_len);

// Cholesky factorisation and solve of a symmetric positive definite matrix, and its reciprocal
// condition number (1-norm) from the factor: ridge's normal equations, Newton steps.
void dpotrf_(const char *uplo, const lapack_int_t *n, double *a, const lapack_int_t *lda,
             lapack_int_t *info, size_t uplo_len);
void dpotrs_(const char *uplo, const lapack_int_t *n, const lapack_int_t *nrhs, const double *a,
             const lapack_int_t *lda, double *b, const lapack_int_t *ldb, lapack_int_t *info,
             size_t uplo_len);
void dpocon_(const char *uplo, const lapack_int_t *n, const double *a, const lapack_int_t *lda,
             const double *anorm, double *rcond, double *work, lapack_int_t *iwork,
             lapack_int_t *info, size_t uplo_len);
// Eigenvalues and vectors of a symmetric matrix (divide and conquer): a singular Newton system.
void dsyevd_(const char *jobz, const char *uplo, const lapack_int_t *n, double *a,
             const lapack_int_t *lda, double *w, double *work, const lapack_int_t *lwork,
             lapack_int_t *iwork, const lapack_int_t *liwork, lapack_int_t *info,
             size_t jobz_len, size_t uplo_len);

// Selected eigenpairs of a symmetric matrix (relatively robust representations): PCA's
// covariance solver, the top n_components pairs of the p x p cross products.
void dsyevr_(const char *jobz, const char *range, const char *uplo, const lapack_int_t *n,
             double *a, const lapack_int_t *lda, const double *vl, const double *vu,
             const lapack_int_t *il, const lapack_int_t *iu, const double *abstol,
             lapack_int_t *m, double *w, double *z, const lapack_int_t *ldz, lapack_int_t *isuppz,
             double *work, const lapack_int_t *lwork, lapack_int_t *iwork,
             const lapack_int_t *liwork, lapack_int_t *info,
             size_t jobz_len, size_t range_len, size_t uplo_len);
// LU with partial pivoting and its row interchanges: the randomized range finder's power
// iterations normalised as scikit-learn's (scipy.linalg.lu(permute_l=True)).
void dgetrf_(const lapack_int_t *m, const lapack_int_t *n, double *a, const lapack_int_t *lda,
             lapack_int_t *ipiv, lapack_int_t *info);
void dlaswp_(const lapack_int_t *n, double *a, const lapack_int_t *lda, const lapack_int_t *k1,
             const lapack_int_t *k2, const lapack_int_t *ipiv, const lapack_int_t *incx);
// Householder QR and its explicit orthonormal factor: the randomized range finder's last basis.
void dgeqrf_(const lapack_int_t *m, const lapack_int_t *n, double *a, const lapack_int_t *lda,
             double *tau, double *work, const lapack_int_t *lwork, lapack_int_t *info);
void dorgqr_(const lapack_int_t *m, const lapack_int_t *n, const lapack_int_t *k, double *a,
             const lapack_int_t *lda, const double *tau, double *work, const lapack_int_t *lwork,
             lapack_int_t *info);

#endif
