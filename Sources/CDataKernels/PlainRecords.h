#ifndef SCILEARN_PLAIN_RECORDS_H
#define SCILEARN_PLAIN_RECORDS_H

// The plain-records parser's body, compiled once for the x86-64 baseline (CSVRecords.c) and
// once for AVX2 (CSVRecordsAVX2.c, with SCILEARN_SIMD_DIGITS): the same operations, the same
// bits.

#include "DecimalCore.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bytes indexed at a time by the plain-records parser: its delimiter offsets fit 16 bits.
#define SCILEARN_CSV_WINDOW 16384

/// The offsets (from `from`) of every ',' and '\n' in [from, to), to - from <= the window, in
/// order, into `at`; returns how many, or -1 when a '"' is among the bytes. Sixteen bytes a
/// compare (SSE2), the set bits of each 64-byte mask written eight at a time unconditionally
/// (so that the loop's branch depends only on how many there are, not where).
static inline __attribute__((always_inline)) long index_delimiters(const uint8_t *from, const uint8_t *to, uint16_t *at) {
    long n = 0, i = 0, len = to - from;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
    for (; i + 64 <= len; i += 64) {
        uint64_t mask = 0, quotes = 0;
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(from + i + 16 * k));
            mask |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf))) << (16 * k);
            quotes |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << (16 * k);
        }
        if (quotes) return -1;
        long count = __builtin_popcountll(mask);
        for (long k = 0; k < count; k += 8) {
            for (int t = 0; t < 8; t++) {
                at[n + k + t] = (uint16_t)(i + __builtin_ctzll(mask | 0x8000000000000000ULL));
                mask &= mask - 1;
            }
        }
        n += count;
    }
#endif
    for (; i < len; i++) {
        uint8_t c = from[i];
        if (c == '"') return -1;
        if (c == ',' || c == '\n') at[n++] = (uint16_t)i;
    }
    return n;
}

/// Numbers scanned before a conversion pass.
#define SCILEARN_CSV_BATCH 128

/// Converts `count` scanned numbers into `out` at their offsets; 0 when one overflows a double
/// (the general reader then gives the message).
static inline __attribute__((always_inline)) int convert_batch(const scilearn_decimal_parts *parts, const long *to, long count, double *out) {
    int ok = 1;
    for (long k = 0; k < count; k++) ok &= scilearn_decimal_convert(parts[k], out + to[k]) == SCILEARN_DECIMAL_OK;
    return ok;
}

static inline __attribute__((always_inline)) long plain_records(const uint8_t *b, long *position, long end, long width, const long *slot,
                                                                double *out, long ld, long row0, long limit, int *irregular) {
    // Delimiters are found ahead of the numbers (a window at a time), so that each field's
    // bounds are known before it is parsed: the fields' conversions do not wait on each other.
    uint16_t at[SCILEARN_CSV_WINDOW + 8];
    // Numbers are scanned into parts as the fields go by and converted a batch at a time, in a
    // loop of their own (the conversions do not wait on the scans, nor on each other).
    scilearn_decimal_parts parts[SCILEARN_CSV_BATCH];
    long offset[SCILEARN_CSV_BATCH];
    long pending = 0;
    const uint8_t *e = b + end;
    const uint8_t *record = b + *position, *field = record;
    long r = 0, j = 0;
    *irregular = 0;
    if (limit <= 0) {
        // Only the empty lines before the next record are taken.
        while (record < e && (*record == '\n' || (*record == '\r' && record + 1 < e && record[1] == '\n'))) record += *record == '\n' ? 1 : 2;
        *position = record - b;
        return 0;
    }
    const uint8_t *scan = record;
    while (1) {
        const uint8_t *to = e - scan > SCILEARN_CSV_WINDOW ? scan + SCILEARN_CSV_WINDOW : e;
        long n = scan < e ? index_delimiters(scan, to, at) : 0;
        if (n < 0) goto irregular;
        int last = to == e;
        // At the end of the bytes, a record without its line end ends there.
        if (last && field < e && (j > 0 || field < e)) at[n++] = (uint16_t)(e - scan);
        for (long k = 0; k < n; k++) {
            const uint8_t *d = scan + at[k];
            int isEnd = d == e || *d == '\n';
            if (j == 0 && isEnd && (d == field || (d == field + 1 && *field == '\r'))) {
                if (d == e) goto irregular;  // a lone CR at the end: the general reader's message
                field = record = d + 1;      // an empty line
                continue;
            }
            if (isEnd != (j == width - 1)) goto irregular;
            if (slot[j] >= 0) {
                const uint8_t *stop;
                int found = scilearn_decimal_scan(field, e, &stop, &parts[pending]);
                if (found == SCILEARN_DECIMAL_NONE) goto irregular;
                if (stop != d && !(isEnd && stop + 1 == d && *stop == '\r')) goto irregular;
                long at = slot[j] * ld + row0 + r;
                if (found == SCILEARN_DECIMAL_LONG) {
                    if (scilearn_decimal_long(field, stop, out + at) != SCILEARN_DECIMAL_OK) goto irregular;
                } else {
                    offset[pending] = at;
                    if (++pending == SCILEARN_CSV_BATCH) {
                        if (!convert_batch(parts, offset, pending, out)) goto irregular;
                        pending = 0;
                    }
                }
            }
            field = d + 1;
            if (++j == width) {
                j = 0;
                record = field;
                if (++r == limit) {
                    if (!convert_batch(parts, offset, pending, out)) goto irregular;
                    *position = (record < e ? record : e) - b;
                    return r;
                }
            }
        }
        if (last) break;
        scan = to;
    }
    if (j != 0) goto irregular;
    if (!convert_batch(parts, offset, pending, out)) goto irregular;
    *position = (record < e ? record : e) - b;
    return r;
irregular:
    *position = record - b;
    *irregular = 1;
    return r;
}

#endif
