#pragma STDC FP_CONTRACT OFF

#include "PlainRecords.h"
#include "DataKernelsLevel.h"

long scilearn_csv_count_records(const uint8_t *b, long start, long end, long *lines) {
#if defined(__x86_64__)
    if (scilearn_data_level() == 1) return scilearn_csv_count_records_avx2(b, start, end, lines);
#endif
    return count_records(b, start, end, lines);
}

static long plain_records_baseline(const uint8_t *b, long *position, long end, long width, const long *slot,
                                   double *out, long ld, long row0, long limit, int *irregular) {
    return plain_records(b, position, end, width, slot, out, ld, row0, limit, irregular);
}

long scilearn_csv_plain_records(const uint8_t *b, long *position, long end, long width, const long *slot,
                                double *out, long ld, long row0, long limit, int *irregular) {
#if defined(__x86_64__)
    if (scilearn_data_level() == 1) return scilearn_csv_plain_records_avx2(b, position, end, width, slot, out, ld, row0, limit, irregular);
#endif
    return plain_records_baseline(b, position, end, width, slot, out, ld, row0, limit, irregular);
}
