#ifndef SCILEARN_TWO_SUM_H
#define SCILEARN_TWO_SUM_H

/// Error-free addition (Knuth's TwoSum): s + e == a + b exactly. The kernels' one copy (the
/// compensated column scan, the k-means moves); its operations must not be contracted or
/// reassociated, which every including file ensures (`FP_CONTRACT OFF`, no fast-math).
static inline void two_sum(double a, double b, double *s, double *e) {
    double t = a + b, bp = t - a;
    *e = (a - (t - bp)) + (b - bp);
    *s = t;
}

#endif
