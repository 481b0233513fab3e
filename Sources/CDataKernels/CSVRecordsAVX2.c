// The AVX2 instances of the number and record parsers: the bodies of DecimalCore.h and
// PlainRecords.h compiled with AVX2, FMA, BMI, BMI2, POPCNT, SSSE3 and SSE4.1 enabled (exactly the
// features scilearn_data_level checks: not LZCNT, whose encoding runs as BSR where it is
// missing), digits sixteen at a time and numbers converted four at a time (SCILEARN_SIMD_DIGITS).
// Called only where the CPU has them (scilearn_data_level).
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma,bmi,bmi2,popcnt,ssse3,sse4.1"))), apply_to = function)
// Before the bodies: with FMA enabled, no a·b + c of theirs may be fused (correct rounding).
#pragma STDC FP_CONTRACT OFF
#define SCILEARN_SIMD_DIGITS 1
#include "PlainRecords.h"
#include "DataKernelsLevel.h"

long scilearn_csv_plain_records_avx2(const uint8_t *b, long *position, long end, long width, const long *slot,
                                     double *out, long ld, long row0, long limit, int *irregular) {
    return plain_records(b, position, end, width, slot, out, ld, row0, limit, irregular);
}

long scilearn_csv_count_records_avx2(const uint8_t *b, long start, long end, long *lines) {
    return count_records(b, start, end, lines);
}

int scilearn_decimal_avx2(const uint8_t *s, const uint8_t *end, const uint8_t **stop, double *value) {
    return scilearn_decimal_inline(s, end, stop, value);
}
#pragma clang attribute pop
#endif
