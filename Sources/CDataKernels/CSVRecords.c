#include "DecimalCore.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#pragma STDC FP_CONTRACT OFF

long scilearn_csv_count_records(const uint8_t *b, long start, long end, long *lines) {
    *lines = 0;
    if (end <= start) return 0;
    // A line end counts unless its line is empty or a lone CR; `start` follows a line end.
    long n = 0, ends = 0, i = start;
    for (; i < end && i < start + 2; i++) {
        uint8_t p1 = i - 1 >= start ? b[i - 1] : '\n', p2 = i - 2 >= start ? b[i - 2] : '\n';
        n += b[i] == '\n' && p1 != '\n' && !(p1 == '\r' && p2 == '\n');
        ends += b[i] == '\n';
    }
#if defined(__SSE2__)
    // Sixteen bytes at a time (SSE2, the x86-64 baseline): the line ends, less those whose line
    // is empty or a lone CR, by the bytes one and two before (unaligned loads).
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (; i + 16 <= end; i += 16) {
        __m128i c = _mm_loadu_si128((const __m128i *)(b + i));
        __m128i p1 = _mm_loadu_si128((const __m128i *)(b + i - 1)), p2 = _mm_loadu_si128((const __m128i *)(b + i - 2));
        __m128i isEnd = _mm_cmpeq_epi8(c, lf);
        __m128i blank = _mm_or_si128(_mm_cmpeq_epi8(p1, lf), _mm_and_si128(_mm_cmpeq_epi8(p1, cr), _mm_cmpeq_epi8(p2, lf)));
        unsigned ends16 = (unsigned)_mm_movemask_epi8(isEnd);
        n += __builtin_popcount((unsigned)_mm_movemask_epi8(_mm_andnot_si128(blank, isEnd)));
        ends += __builtin_popcount(ends16);
    }
#endif
    for (; i < end; i++) {
        uint8_t c = b[i] == '\n', p1 = b[i - 1], p2 = b[i - 2];
        n += c & (p1 != '\n') & !((p1 == '\r') & (p2 == '\n'));
        ends += c;
    }
    long partial = b[end - 1] != '\n';
    *lines = ends + partial;
    return n + partial;
}

#include "PlainRecords.h"
#include "DataKernelsLevel.h"

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
