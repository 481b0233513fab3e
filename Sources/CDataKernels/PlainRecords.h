#ifndef SCILEARN_PLAIN_RECORDS_H
#define SCILEARN_PLAIN_RECORDS_H

// The plain-records parser's body, compiled once for the x86-64 baseline (CSVRecords.c) and
// once for AVX2 (CSVRecordsAVX2.c, with SCILEARN_SIMD_DIGITS): the same operations, the same
// bits.

#include "DecimalCore.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline __attribute__((always_inline)) long count_records(const uint8_t *b, long start, long end, long *lines) {
    *lines = 0;
    if (end <= start) return 0;
    // A line end counts unless its line is empty or a lone CR; `start` follows a line end.
    long n = 0, ends = 0, i = start;
    for (; i < end && i < start + 2; i++) {
        uint8_t p1 = i - 1 >= start ? b[i - 1] : '\n', p2 = i - 2 >= start ? b[i - 2] : '\n';
        n += b[i] == '\n' && p1 != '\n' && !(p1 == '\r' && p2 == '\n');
        ends += b[i] == '\n';
    }
#if SCILEARN_SIMD_DIGITS
    // Thirty-two bytes at a time (AVX2): the line ends, less those whose line is empty or a lone
    // CR, by the bytes one and two before (unaligned loads).
    const __m256i lf32 = _mm256_set1_epi8('\n'), cr32 = _mm256_set1_epi8('\r');
    for (; i + 32 <= end; i += 32) {
        __m256i c = _mm256_loadu_si256((const __m256i *)(b + i));
        __m256i p1 = _mm256_loadu_si256((const __m256i *)(b + i - 1)), p2 = _mm256_loadu_si256((const __m256i *)(b + i - 2));
        __m256i isEnd = _mm256_cmpeq_epi8(c, lf32);
        __m256i blank = _mm256_or_si256(_mm256_cmpeq_epi8(p1, lf32), _mm256_and_si256(_mm256_cmpeq_epi8(p1, cr32), _mm256_cmpeq_epi8(p2, lf32)));
        n += __builtin_popcount((unsigned)_mm256_movemask_epi8(_mm256_andnot_si256(blank, isEnd)));
        ends += __builtin_popcount((unsigned)_mm256_movemask_epi8(isEnd));
    }
#endif
#if defined(__SSE2__)
    // Sixteen bytes at a time (SSE2, the x86-64 baseline), as above.
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
    // A last line without its line end counts, unless it is a lone CR (the readers skip it).
    long partial = b[end - 1] != '\n';
    *lines = ends + partial;
    return n + (partial && !(b[end - 1] == '\r' && (end - 1 == start || b[end - 2] == '\n')));
}

/// Bytes indexed at a time by the plain-records parser: its delimiter offsets fit 16 bits.
#define SCILEARN_CSV_WINDOW 16384

/// The offsets `i` + (each set bit of `mask`) appended to `at` after its `n` entries, four
/// at a time unconditionally (so that the loop's branch depends only on how many there are, not
/// where; numbers of 16-21 characters put three or four delimiters in 64 bytes, one pass, where
/// eight at a time wrote as many again for nothing: 12.1 -> 11.8 ns a field); returns the new
/// count (up to three entries past it written).
static inline __attribute__((always_inline)) long write_positions(uint64_t mask, long i, uint16_t *at, long n) {
    long count = __builtin_popcountll(mask);
    for (long k = 0; k < count; k += 4) {
        for (int t = 0; t < 4; t++) {
            at[n + k + t] = (uint16_t)(i + __builtin_ctzll(mask | 0x8000000000000000ULL));
            mask &= mask - 1;
        }
    }
    return n + count;
}

/// The offsets (from `from`) of every ',' and '\n' in [from, to), to - from <= the window, in
/// order, into `at`, and those of the '\n's alone into `ends` (their count into `*endCount`);
/// returns how many delimiters, or -1 when a '"' is among the bytes. 32 bytes a compare (AVX2;
/// 16 on the SSE2 baseline), each 64-byte mask's bits by `write_positions`.
static inline __attribute__((always_inline)) long index_delimiters(const uint8_t *from, const uint8_t *to, uint16_t *at, uint16_t *ends, long *endCount) {
    long n = 0, i = 0, len = to - from, m = 0;
#if SCILEARN_SIMD_DIGITS
    const __m256i comma32 = _mm256_set1_epi8(','), lf32 = _mm256_set1_epi8('\n'), quote32 = _mm256_set1_epi8('"');
    for (; i + 64 <= len; i += 64) {
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(from + i)), v1 = _mm256_loadu_si256((const __m256i *)(from + i + 32));
        __m256i l0 = _mm256_cmpeq_epi8(v0, lf32), l1 = _mm256_cmpeq_epi8(v1, lf32);
        uint64_t mask = (uint64_t)(unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v0, comma32), l0)) |
                        (uint64_t)(unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v1, comma32), l1)) << 32;
        uint64_t lines = (uint64_t)(unsigned)_mm256_movemask_epi8(l0) | (uint64_t)(unsigned)_mm256_movemask_epi8(l1) << 32;
        if (_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v0, quote32), _mm256_cmpeq_epi8(v1, quote32)))) return -1;
        n = write_positions(mask, i, at, n);
        while (lines) { ends[m++] = (uint16_t)(i + __builtin_ctzll(lines)); lines &= lines - 1; }
    }
#endif
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"');
    for (; i + 64 <= len; i += 64) {
        uint64_t mask = 0, quotes = 0, lines = 0;
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(from + i + 16 * k));
            __m128i l = _mm_cmpeq_epi8(v, lf);
            mask |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, comma), l)) << (16 * k);
            lines |= (uint64_t)(unsigned)_mm_movemask_epi8(l) << (16 * k);
            quotes |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << (16 * k);
        }
        if (quotes) return -1;
        n = write_positions(mask, i, at, n);
        while (lines) { ends[m++] = (uint16_t)(i + __builtin_ctzll(lines)); lines &= lines - 1; }
    }
#endif
    for (; i < len; i++) {
        uint8_t c = from[i];
        if (c == '"') return -1;
        if (c == '\n') ends[m++] = (uint16_t)i;
        if (c == ',' || c == '\n') at[n++] = (uint16_t)i;
    }
    *endCount = m;
    return n;
}

#if SCILEARN_SIMD_DIGITS
static const int8_t scilearn_lane_index[32] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                               16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};


/// The common case of a field whose end `t` is known (the delimiter index gives it):
/// `[+-]digits[.digits]` of at most 19 digits. The number is read as the 32 bytes ending at `t`
/// (so nothing waits on where its digits start), the integer digits moved up one byte over the
/// point, the bytes before the number masked off, and the digits converted at once; its digits,
/// power of ten and sign are the parts `scilearn_decimal_scan` gives. Returns 0 for anything else (an exponent, more
/// digits, no digits, text), which the caller then scans in full. Reads [t - 32, t] only:
/// `lo` <= t - 32 is checked unless `far` (a constant: the caller knows it).
static inline __attribute__((always_inline)) int plain_scan(const uint8_t *s, const uint8_t *t, const uint8_t *lo, int far,
                                                            uint64_t *mantissa, long *exponent, int *sign) {
    if ((!far && t - lo < 32) || s >= t) return 0;
    int negative = *s == '-';
    const uint8_t *p = s + (negative | (*s == '+'));
    long len = t - p;  // digits and perhaps a point
    if (len <= 0 || len > 20) return 0;
    __m256i raw = _mm256_loadu_si256((const __m256i *)(t - 32));
    __m256i x = _mm256_sub_epi8(raw, _mm256_set1_epi8('0'));
    unsigned digit = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(x, _mm256_set1_epi8(9)), x));
    unsigned field = ~0u << (32 - len);
    unsigned point = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(raw, _mm256_set1_epi8('.'))) & field;
    if ((~digit & field) != point || (point & (point - 1))) return 0;
    int hasPoint = point != 0;
    int below = hasPoint ? __builtin_ctz(point) + 1 : 0;  // lanes up to the point's take their left neighbour
    __m256i lanes = _mm256_loadu_si256((const __m256i *)scilearn_lane_index);
    __m256i shifted = _mm256_alignr_epi8(x, _mm256_permute2x128_si256(x, x, 0x08), 15);
    x = _mm256_blendv_epi8(x, shifted, _mm256_cmpgt_epi8(_mm256_set1_epi8((char)below), lanes));
    x = _mm256_and_si256(x, _mm256_cmpgt_epi8(lanes, _mm256_set1_epi8((char)(31 - len + hasPoint))));
    long digits = len - hasPoint;
    if (digits == 0 || digits > 19) return 0;
    uint64_t high, low;
    scilearn_convert32(x, &high, &low);
    *mantissa = high * 10000000000000000ULL + low;
    *exponent = hasPoint ? -(long)(31 - __builtin_ctz(point)) : 0;
    *sign = negative;
    return 1;
}
#endif

/// Numbers scanned before a conversion pass.
#define SCILEARN_CSV_BATCH 256
/// The most wanted columns the whole-record path of the plain-records parser takes (more: field
/// by field). Less than SCILEARN_CSV_BATCH (a record's parts must fit below it).
#define SCILEARN_CSV_RECORD_COLUMNS 128

/// Numbers scanned and not yet converted, by component, so that ``scilearn_convert4`` loads four
/// of each at once (against an array of ``scilearn_decimal_parts``, 11.8 → 11.0 ns a field):
/// each one's digits, power of ten, and offset in `out` with its sign in bit 63.
typedef struct {
    uint64_t mantissa[SCILEARN_CSV_BATCH];
    long exponent[SCILEARN_CSV_BATCH];
    long to[SCILEARN_CSV_BATCH];
} scilearn_number_batch;

/// Number `k` of the batch by ``scilearn_decimal_convert`` (Clinger below 10^15, Eisel-Lemire
/// above: both correctly rounded).
static inline __attribute__((always_inline)) int convert_one(const scilearn_number_batch *batch, long k, double *out) {
    scilearn_decimal_parts parts = {batch->mantissa[k], batch->exponent[k], batch->mantissa[k] < 1000000000000000ULL ? 15 : 19, batch->to[k] < 0};
    return scilearn_decimal_convert(parts, out + (batch->to[k] & LONG_MAX)) == SCILEARN_DECIMAL_OK;
}

/// Converts `count` scanned numbers into `out` at their offsets; 0 when one overflows a double
/// (the general reader then gives the message).
static inline __attribute__((always_inline)) int convert_batch(const scilearn_number_batch *batch, long count, double *out) {
    int ok = 1;
    long k = 0;
#if SCILEARN_SIMD_DIGITS
    for (; k + 4 <= count; k += 4) {
        unsigned done = scilearn_convert4(batch->mantissa + k, batch->exponent + k, batch->to + k, out);
        if (done != 0xF) {
            for (int i = 0; i < 4; i++)
                if (!(done >> i & 1)) ok &= convert_one(batch, k + i, out);
        }
    }
#endif
    for (; k < count; k++) ok &= convert_one(batch, k, out);
    return ok;
}

/// The number of the field [s, t) (`t` its end, a record's CR excluded; `e` the end of the
/// bytes), for `out[into]`: its parts queued in `batch` at `*pending` (its offset and sign
/// beside them, `*pending` moved on), or its value written at once when it has more than 19 significant
/// digits (`strtod`) or is 10^308 or more (so that an overflow is this record's, the general
/// reader's message, and a batch's conversion cannot fail). 0 when the field is not a plain
/// number (nothing queued). `far` (a constant) when `s` is at least 32 bytes past `b`.
static inline __attribute__((always_inline)) int take_number(const uint8_t *s, const uint8_t *t, const uint8_t *b, int far, const uint8_t *e,
                                                             long into, double *out, scilearn_number_batch *batch, long *pending) {
#if SCILEARN_SIMD_DIGITS
    int sign;
    if (plain_scan(s, t, b, far, &batch->mantissa[*pending], &batch->exponent[*pending], &sign)) {
        batch->to[(*pending)++] = into | (sign ? LONG_MIN : 0);
        return 1;
    }
#else
    (void)b;
    (void)far;
#endif
    const uint8_t *stop;
    scilearn_decimal_parts parts;
    int found = scilearn_decimal_scan(s, e, &stop, &parts);
    if (found == SCILEARN_DECIMAL_NONE || stop != t) return 0;
    if (found == SCILEARN_DECIMAL_LONG) return scilearn_decimal_long(s, stop, out + into) == SCILEARN_DECIMAL_OK;
    if (parts.exponent + parts.digits > 308) return scilearn_decimal_convert(parts, out + into) == SCILEARN_DECIMAL_OK;
    batch->mantissa[*pending] = parts.mantissa;
    batch->exponent[*pending] = parts.exponent;
    batch->to[(*pending)++] = into | (parts.negative ? LONG_MIN : 0);
    return 1;
}

static inline __attribute__((always_inline)) long plain_records(const uint8_t *b, long *position, long end, long width, const long *slot,
                                                                double *out, long ld, long row0, long limit, int *irregular) {
    // Delimiters are found ahead of the numbers (a window at a time), so that each field's
    // bounds are known before it is parsed: the fields' conversions do not wait on each other.
    uint16_t at[SCILEARN_CSV_WINDOW + 8], ends[SCILEARN_CSV_WINDOW + 8];
    // Numbers are scanned into parts as the fields go by and converted a batch at a time, in a
    // loop of their own (the conversions do not wait on the scans, nor on each other).
    scilearn_number_batch batch;
    long pending = 0;
    // Whole records at a time (up to SCILEARN_CSV_RECORD_COLUMNS wanted columns): the wanted
    // fields' indices and their columns' offsets in `out`.
    long wantedField[SCILEARN_CSV_RECORD_COLUMNS], wantedOffset[SCILEARN_CSV_RECORD_COLUMNS];
    long wanted = 0;
    for (long j = 0; j < width && wanted <= SCILEARN_CSV_RECORD_COLUMNS; j++) {
        if (slot[j] < 0) continue;
        if (wanted < SCILEARN_CSV_RECORD_COLUMNS) {
            wantedField[wanted] = j;
            wantedOffset[wanted] = slot[j] * ld + row0;
        }
        wanted++;
    }
    int wholeRecords = wanted <= SCILEARN_CSV_RECORD_COLUMNS;
    // Whether the wanted fields are one run of the record's fields in order (as in X = the
    // first 50 of 51 columns), and how many of them come before the record's last field: a run
    // takes each field's start from the previous one's end, without the table of fields and the
    // test for a CR on every field (11.0 -> 10.1 ns a field on W1's X).
    int run = wholeRecords && wanted > 0;
    for (long w = 1; w < wanted && run; w++) run = wantedField[w] == wantedField[0] + w;
    long runBeforeLast = run && wantedField[0] + wanted == width ? wanted - 1 : wanted;
    const uint8_t *e = b + end;
    const uint8_t *start = b + *position, *record = start, *field = record;
    long r = 0, j = 0;
    *irregular = 0;
    if (limit <= 0) {
        // Only the empty lines before the next record are taken.
        while (record < e && (*record == '\n' || (*record == '\r' && (record + 1 == e || record[1] == '\n'))))
            record += *record == '\n' || record + 1 == e ? 1 : 2;
        *position = record - b;
        return 0;
    }
    const uint8_t *scan = record;
    while (1) {
        const uint8_t *to = e - scan > SCILEARN_CSV_WINDOW ? scan + SCILEARN_CSV_WINDOW : e;
        long endCount = 0;
        long n = scan < e ? index_delimiters(scan, to, at, ends, &endCount) : 0;
        if (n < 0) goto irregular;
        int last = to == e, carry = 0;
        // At the end of the bytes, a record without its line end ends there.
        if (last && field < e && (j > 0 || field < e)) at[n++] = (uint16_t)(e - scan);
        long m = 0;  // ends[m]: the first line end at or after the record's start
        for (long k = 0; k < n; k++) {
            if (j == 0 && wholeRecords) {
                // Whole records, while the width-th delimiter ahead is the first line end after
                // the record's start (so the others are commas): no test per field of where the
                // record ends or which column a field is. A record any of whose fields is not
                // a plain number is left to the field-by-field loop below (its parts dropped).
                while (m < endCount && scan + ends[m] < field) m++;
                // (Not an empty line or a lone CR, which match at width 1: the loop below skips them.)
                while (k + width <= n && m < endCount && at[k + width - 1] == ends[m] && scan + at[k] != field &&
                       !(scan + at[k] == field + 1 && *field == '\r')) {
                    // (Below the batch after the record, as the field-by-field loop needs.)
                    if (pending + wanted >= SCILEARN_CSV_BATCH) {
                        if (!convert_batch(&batch, pending, out)) goto failed;
                        pending = 0;
                    }
                    long before = pending;
                    int plain = 1;
                    if (run) {
                        // One run of fields: each starts after the previous one's delimiter, and
                        // only the record's last field can end at a CR.
                        const uint16_t *a = at + k + wantedField[0];
                        const uint8_t *s = wantedField[0] ? scan + a[-1] + 1 : record;
                        long w = 0;
                        if (record - b >= 32) {
                            // (Every field's 32 bytes within the file: no test of it.)
                            for (; w < runBeforeLast; w++) {
                                const uint8_t *d = scan + a[w];
                                if (!take_number(s, d, b, 1, e, wantedOffset[w] + r, out, &batch, &pending)) break;
                                s = d + 1;
                            }
                        } else {
                            for (; w < runBeforeLast; w++) {
                                const uint8_t *d = scan + a[w];
                                if (!take_number(s, d, b, 0, e, wantedOffset[w] + r, out, &batch, &pending)) break;
                                s = d + 1;
                            }
                        }
                        plain = w == runBeforeLast;
                        if (plain && w < wanted) {
                            const uint8_t *d = scan + a[w];
                            plain = take_number(s, d > s && d[-1] == '\r' ? d - 1 : d, b, 0, e, wantedOffset[w] + r, out, &batch, &pending);
                        }
                    } else {
                        for (long w = 0; w < wanted && plain; w++) {
                            long f = wantedField[w];
                            const uint8_t *s = f ? scan + at[k + f - 1] + 1 : record;
                            const uint8_t *d = scan + at[k + f];
                            const uint8_t *t = f == width - 1 && d > s && d[-1] == '\r' ? d - 1 : d;
                            plain = take_number(s, t, b, 0, e, wantedOffset[w] + r, out, &batch, &pending);
                        }
                    }
                    if (!plain) {
                        pending = before;
                        break;
                    }
                    k += width;
                    m++;
                    field = record = scan + at[k - 1] + 1;
                    if (++r == limit) {
                        if (!convert_batch(&batch, pending, out)) goto failed;
                        *position = (record < e ? record : e) - b;
                        return r;
                    }
                }
                if (k == n) break;
                // A record the window cuts (its width-th delimiter lies beyond): the next window
                // starts at it, so that it too is taken whole (unless it starts the window).
                if (k + width > n && !last && record > scan) {
                    carry = 1;
                    break;
                }
            }
            const uint8_t *d = scan + at[k];
            int isEnd = d == e || *d == '\n';
            if (j == 0 && isEnd && (d == field || (d == field + 1 && *field == '\r'))) {
                field = record = d == e ? e : d + 1;  // an empty line (or a lone CR ending the file)
                continue;
            }
            if (isEnd != (j == width - 1)) goto irregular;
            if (slot[j] >= 0) {
                // (A record's CR is not part of its last number: the number must end before it.)
                const uint8_t *t = isEnd && d > field && d[-1] == '\r' ? d - 1 : d;
                if (!take_number(field, t, b, 0, e, slot[j] * ld + row0 + r, out, &batch, &pending)) goto irregular;
                if (pending == SCILEARN_CSV_BATCH) {
                    if (!convert_batch(&batch, pending, out)) goto failed;
                    pending = 0;
                }
            }
            field = d + 1;
            if (++j == width) {
                j = 0;
                record = field;
                if (++r == limit) {
                    if (!convert_batch(&batch, pending, out)) goto failed;
                    *position = (record < e ? record : e) - b;
                    return r;
                }
            }
        }
        if (last) break;
        scan = carry ? record : to;
    }
    if (j != 0) goto irregular;
    if (!convert_batch(&batch, pending, out)) goto failed;
    *position = (record < e ? record : e) - b;
    return r;
irregular:
    // The records before this one are complete: their pending numbers converted too.
    if (!convert_batch(&batch, pending, out)) goto failed;
    *position = record - b;
    *irregular = 1;
    return r;
failed:
    // (Cannot happen: every value converted is below 10^308. Nothing taken, should it.)
    *position = start - b;
    *irregular = 1;
    return 0;
}

#endif
