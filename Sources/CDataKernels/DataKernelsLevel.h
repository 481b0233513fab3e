#ifndef SCILEARN_DATA_KERNELS_LEVEL_H
#define SCILEARN_DATA_KERNELS_LEVEL_H

#include <stdint.h>

// The code path the data kernels take (0: x86-64 baseline, 1: AVX2 with BMI, BMI2, POPCNT, SSSE3,
// SSE4.1 and FMA), as detected and capped by `scilearn_data_set_level`; and the AVX2 instances of the
// bodies (CSVRecordsAVX2.c).
int scilearn_data_level(void);
long scilearn_csv_plain_records_avx2(const uint8_t *b, long *position, long end, long width, const long *slot,
                                     double *out, long ld, long row0, long limit, int *irregular);
long scilearn_csv_count_records_avx2(const uint8_t *b, long start, long end, long *lines);
int scilearn_decimal_avx2(const uint8_t *s, const uint8_t *end, const uint8_t **stop, double *value);

#endif
