#ifndef SCILEARN_DECIMAL_CORE_H
#define SCILEARN_DECIMAL_CORE_H

// The decimal parser's body, inline in each kernel that parses numbers (CSVRecords.c, and the
// exported `scilearn_decimal` in DecimalParse.c): one implementation.

#include "CDataKernels.h"
#include "DecimalTable.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline __attribute__((always_inline)) int scilearn_is_digit(uint8_t c) { return (uint8_t)(c - '0') < 10; }

/// Eight bytes (little-endian) that are all ASCII digits.
static inline __attribute__((always_inline)) int scilearn_eight_digits(uint64_t v) {
    return (((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
            0x3333333333333333ULL);
}

/// The integer of eight ASCII digits, first byte most significant (three multiplications).
static inline __attribute__((always_inline)) uint64_t scilearn_parse_eight(uint64_t v) {
    const uint64_t mask = 0x000000FF000000FFULL, mul1 = 0x000F424000000064ULL, mul2 = 0x0000271000000001ULL;
    v -= 0x3030303030303030ULL;
    v = (v * 10) + (v >> 8);
    return (((v & mask) * mul1) + (((v >> 16) & mask) * mul2)) >> 32;
}

static inline __attribute__((always_inline)) uint64_t scilearn_load8(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static const uint64_t scilearn_exact_powers_of_ten_int[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

/// The leading digits (0-8) of the eight bytes at p, as a count and their integer, without a
/// branch: the digits are moved to the top of the word, '0's put below them, and the word
/// converted as eight digits.
static inline __attribute__((always_inline)) int scilearn_leading_digits(const uint8_t *p, uint64_t *value) {
    uint64_t v = scilearn_load8(p), x = v ^ 0x3030303030303030ULL;
    // A byte is a digit when its high nibble was 3 and its low nibble is at most 9.
    uint64_t other = (x & 0xF0F0F0F0F0F0F0F0ULL) | (((x & 0x0F0F0F0F0F0F0F0FULL) + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL);
    int n = other ? __builtin_ctzll(other) >> 3 : 8;
    int gone = 4 * (8 - n);  // half the shift: a shift by 64 is not defined
    uint64_t w = ((v << gone) << gone) | ((0x3030303030303030ULL >> (4 * n)) >> (4 * n));
    *value = n ? scilearn_parse_eight(w) : 0;
    return n;
}

#if SCILEARN_SIMD_DIGITS
// Compiled only where AVX2, FMA, SSSE3 and SSE4.1 are enabled (CSVRecordsAVX2.c).
#include <immintrin.h>

/// pshufb masks moving the first n bytes to the end of sixteen (n = 0 ... 16), zeros before.
static const int8_t scilearn_align_digits[17][16] = {
#define A(n) { [0 ... 15] = -128 }
    A(0),
#undef A
#define R(n, i) ((i) >= 16 - (n) ? (i) - (16 - (n)) : -128)
#define M(n) { R(n,0), R(n,1), R(n,2), R(n,3), R(n,4), R(n,5), R(n,6), R(n,7), R(n,8), R(n,9), R(n,10), R(n,11), R(n,12), R(n,13), R(n,14), R(n,15) }
    M(1), M(2), M(3), M(4), M(5), M(6), M(7), M(8), M(9), M(10), M(11), M(12), M(13), M(14), M(15), M(16),
#undef M
#undef R
};

static const uint64_t scilearn_powers_of_ten_16[17] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL,
    10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
    1000000000000000ULL, 10000000000000000ULL,
};

/// The integers of two sixteen-digit halves (digit values 0-9, first byte most significant):
/// pairs, fours and eights by multiply-adds, eights to sixteens by a 32-bit multiply.
static inline __attribute__((always_inline)) void scilearn_convert32(__m256i a, uint64_t *high, uint64_t *low) {
    __m256i m1 = _mm256_maddubs_epi16(a, _mm256_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1,
                                                          10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
    __m256i m2 = _mm256_madd_epi16(m1, _mm256_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1, 100, 1, 100, 1, 100, 1, 100, 1));
    __m256i m3 = _mm256_packus_epi32(m2, m2);
    __m256i m4 = _mm256_madd_epi16(m3, _mm256_setr_epi16(10000, 1, 10000, 1, 10000, 1, 10000, 1, 10000, 1, 10000, 1, 10000, 1, 10000, 1));
    // Each lane's first two 32-bit words are its high and low eight digits.
    __m256i sixteen = _mm256_add_epi64(_mm256_mul_epu32(m4, _mm256_set1_epi64x(100000000)), _mm256_srli_epi64(m4, 32));
    *high = (uint64_t)_mm256_extract_epi64(sixteen, 0);
    *low = (uint64_t)_mm256_extract_epi64(sixteen, 2);
}

/// The leading run of digits in the 32 bytes at p, up to 32 (the second sixteen counted only
/// when the first sixteen are all digits), as its length and its integer (modulo 2^64 past 19
/// digits: the caller counts them). Both halves are right-aligned by one byte shuffle, then
/// converted together. No branch depends on where the run ends.
static inline __attribute__((always_inline)) uint64_t scilearn_digits32(const uint8_t *p, int *count) {
    __m256i t = _mm256_sub_epi8(_mm256_loadu_si256((const __m256i *)p), _mm256_set1_epi8('0'));
    unsigned other = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8(9)), t));
    int n1 = __builtin_ctz((other & 0xFFFF) | 0x10000), n2 = __builtin_ctz((other >> 16) | 0x10000);
    n2 &= -(n1 == 16);
    __m256i align = _mm256_set_m128i(_mm_loadu_si128((const __m128i *)scilearn_align_digits[n2]),
                                     _mm_loadu_si128((const __m128i *)scilearn_align_digits[n1]));
    uint64_t c1, c2;
    scilearn_convert32(_mm256_shuffle_epi8(t, align), &c1, &c2);
    *count = n1 + n2;
    return c1 * scilearn_powers_of_ten_16[n2] + c2;
}
#endif

/// Digits from *p (before `end`) into *i (wrapping past 19 digits: the caller counts them).
/// Eight bytes at a time, as a word, where eight can be read; with `wide` (a constant) and
/// SCILEARN_SIMD_DIGITS, 32 at a time first (a fraction's run of 15 to 19 digits: no branch on
/// its length).
static inline __attribute__((always_inline)) const uint8_t *scilearn_digits(const uint8_t *p, const uint8_t *end, uint64_t *i, int wide) {
    uint64_t v = *i;
#if SCILEARN_SIMD_DIGITS
    if (wide && end - p >= 32) {
        int n;
        uint64_t c = scilearn_digits32(p, &n);
        int n1 = n < 16 ? n : 16;
        v = (v * scilearn_powers_of_ten_16[n1]) * scilearn_powers_of_ten_16[n - n1] + c;
        p += n;
        if (n < 32) { *i = v; return p; }
    }
#else
    (void)wide;
#endif
    while (end - p >= 8) {
        uint64_t w;
        int n = scilearn_leading_digits(p, &w);
        v = v * scilearn_exact_powers_of_ten_int[n] + w;
        p += n;
        if (n < 8) { *i = v; return p; }
    }
    while (p < end && scilearn_is_digit(*p)) { v = v * 10 + (uint64_t)(*p - '0'); p++; }
    *i = v;
    return p;
}

/// w·10^q correctly rounded (w > 0, below 10^19), into *out; 0 when it overflows.
static inline __attribute__((always_inline)) int scilearn_eisel_lemire(uint64_t w, long q, int negative, double *out) {
    uint64_t sign = negative ? 1ULL << 63 : 0, bits;
    if (q < SCILEARN_POW5_SMALLEST) { bits = sign; memcpy(out, &bits, 8); return 1; }
    if (q > SCILEARN_POW5_LARGEST) return 0;
    int lz = __builtin_clzll(w);
    uint64_t normalised = w << lz;
    long index = 2 * (q - SCILEARN_POW5_SMALLEST);
    __uint128_t product = (__uint128_t)normalised * scilearn_powers_of_five[index];
    uint64_t high = (uint64_t)(product >> 64), low = (uint64_t)product;
    // Within 2^-55 of a carry into the kept bits: add the next 64 bits of 5^q.
    if ((high & 0x1FF) == 0x1FF) {
        uint64_t next = (uint64_t)(((__uint128_t)normalised * scilearn_powers_of_five[index + 1]) >> 64);
        uint64_t sum = low + next;
        if (sum < low) high += 1;
        low = sum;
    }
    int upper = (int)(high >> 63);
    int shift = upper + 9;
    uint64_t mantissa = high >> shift;
    // floor(log2(5^q)) + q + 63, by the integer formula valid for |q| < 350.
    long power2 = (((152170 + 65536) * q) >> 16) + 63 + upper - lz + 1023;
    if (power2 <= 0) {
        // Subnormal (or zero).
        if (-power2 + 1 >= 64) { bits = sign; memcpy(out, &bits, 8); return 1; }
        mantissa >>= (-power2 + 1);
        mantissa += mantissa & 1;
        mantissa >>= 1;
        power2 = mantissa < (1ULL << 52) ? 0 : 1;
        bits = sign | (uint64_t)power2 << 52 | mantissa;
        memcpy(out, &bits, 8);
        return 1;
    }
    // Exactly halfway (only possible for small |q|): round to even instead of up.
    if (low <= 1 && q >= -4 && q <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == high) mantissa &= ~1ULL;
    mantissa += mantissa & 1;
    mantissa >>= 1;
    if (mantissa >= (2ULL << 52)) { mantissa = 1ULL << 52; power2 += 1; }
    mantissa &= ~(1ULL << 52);
    if (power2 >= 0x7FF) return 0;
    bits = sign | (uint64_t)power2 << 52 | mantissa;
    memcpy(out, &bits, 8);
    return 1;
}

static const double scilearn_exact_powers_of_ten[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/// A decimal number's parts: its digits as an integer (below 10^19), the power of ten to scale
/// it by, its sign, and how many digits it had (leading zeros included).
typedef struct {
    uint64_t mantissa;
    long exponent;
    long digits;
    int negative;
} scilearn_decimal_parts;

/// The text of a decimal number at the start of [s, end): NONE, LONG (more than 19 significant
/// digits), or OK with its parts; `*stop` is where it ends (set unless NONE).
static inline __attribute__((always_inline)) int scilearn_decimal_scan(const uint8_t *s, const uint8_t *end, const uint8_t **stop,
                                                                       scilearn_decimal_parts *parts) {
    const uint8_t *p = s;
    int negative = 0;
    if (p < end) { negative = *p == '-'; p += negative | (*p == '+'); }
    const uint8_t *first = p;
    uint64_t mantissa = 0;
    p = scilearn_digits(p, end, &mantissa, 0);
    long digits = p - first, fraction = 0;
    if (p < end && *p == '.') {
        const uint8_t *f = ++p;
        p = scilearn_digits(p, end, &mantissa, 1);
        fraction = p - f;
        digits += fraction;
    }
    if (digits == 0) return SCILEARN_DECIMAL_NONE;
    long exponent = -fraction;
    if (p < end && (*p | 0x20) == 'e') {
        const uint8_t *q = p + 1;
        long sign = 1;
        if (q < end && (*q == '+' || *q == '-')) { sign = *q == '-' ? -1 : 1; q++; }
        if (!(q < end && scilearn_is_digit(*q))) return SCILEARN_DECIMAL_NONE;
        long e = 0;
        for (; q < end && scilearn_is_digit(*q); q++)
            if (e < 1000000000000000L) e = e * 10 + (*q - '0');  // (past 10^15 the value is 0 or beyond a double whatever the digits)
        exponent += sign * e;
        p = q;
    }
    *stop = p;
    if (digits > 19) {
        // Leading zeros (and the point among them) are not significant.
        long zeros = 0;
        for (const uint8_t *z = first; z < p && (*z == '0' || *z == '.'); z++) zeros += *z == '0';
        if (digits - zeros > 19) return SCILEARN_DECIMAL_LONG;
    }
    parts->mantissa = mantissa;
    parts->exponent = exponent;
    parts->digits = digits;
    parts->negative = negative;
    return SCILEARN_DECIMAL_OK;
}

/// The double nearest the parts' value into *value: OK, or OVERFLOW beyond the largest double.
static inline __attribute__((always_inline)) int scilearn_decimal_convert(scilearn_decimal_parts parts, double *value) {
    if (parts.mantissa == 0) { *value = parts.negative ? -0.0 : 0.0; return SCILEARN_DECIMAL_OK; }
    // Clinger's path for up to 15 digits (below 2^53 by their count, so that the choice does not
    // depend on the digits' values: 16 and 17 digits, as numpy writes, always take Eisel-Lemire).
    // (The CSV parser's batches keep no count and pass 15 for a mantissa below 10^15: both paths
    // are correctly rounded, so the choice moves only the time, never the bits.)
    if (parts.digits <= 15 && parts.exponent >= -22 && parts.exponent <= 22) {
        double w = (double)parts.mantissa;
        double v = parts.exponent >= 0 ? w * scilearn_exact_powers_of_ten[parts.exponent] : w / scilearn_exact_powers_of_ten[-parts.exponent];
        *value = parts.negative ? -v : v;
        return SCILEARN_DECIMAL_OK;
    }
    return scilearn_eisel_lemire(parts.mantissa, parts.exponent, parts.negative, value) ? SCILEARN_DECIMAL_OK : SCILEARN_DECIMAL_OVERFLOW;
}

#if SCILEARN_SIMD_DIGITS
/// Four numbers converted at once, from their digits `mantissa[i]` and powers of ten
/// `exponent[i]`, each stored at `out + (to[i] & LONG_MAX)` with the sign bit 63 of `to[i]` (the
/// parts by component, so that each is one load of four), for the form numpy and
/// pandas write: digits w (1 <= w < 2^64) over a power of ten 10^k (0 <= k <= 22: exact in a
/// double). w is split exactly into wh + wl (wh = w rounded to a double), y = wh / 10^k is
/// divided correctly rounded, and the remainder w - y·10^k is formed exactly but for its last
/// rounding (wh - y·10^k is a double and an FMA gives it exactly; wl is added once). y is the
/// double nearest w / 10^k when that remainder is clearly under half an ulp of y (times
/// 10^k); its neighbour on the remainder's side when clearly between a half and one and a half.
/// A remainder within 2^-50 (relative) of either bound (a tie, or too close to tell), a y whose
/// significand is 0 or 1 (a power of two or just above: the spacing below it differs), and
/// parts outside the form are not done. Returns the lanes done (bit i: lane i); the other
/// lanes' stores hold no value and the caller converts them one by one.
_Static_assert(sizeof(long) == 8, "scilearn_convert4 loads four longs as 64-bit lanes");
static inline __attribute__((always_inline)) unsigned scilearn_convert4(const uint64_t *mantissa, const long *exponent, const long *to, double *out) {
    const __m256i zero = _mm256_setzero_si256();
    __m256i w = _mm256_loadu_si256((const __m256i *)mantissa);
    __m256i q = _mm256_loadu_si256((const __m256i *)exponent);
    __m256i inForm = _mm256_andnot_si256(_mm256_cmpeq_epi64(w, zero),
                                         _mm256_and_si256(_mm256_cmpgt_epi64(q, _mm256_set1_epi64x(-23)), _mm256_cmpgt_epi64(_mm256_set1_epi64x(1), q)));
    // w's 32-bit halves as doubles (exactly: 2^52 + h as bits, less 2^52), then wh + wl = w.
    const __m256i magic = _mm256_set1_epi64x(0x4330000000000000LL);
    const __m256d two52 = _mm256_set1_pd(4503599627370496.0);
    __m256d hi = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(w, 32), magic)), two52);
    __m256d lo = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(w, _mm256_set1_epi64x(0xFFFFFFFFLL)), magic)), two52);
    __m256d a = _mm256_mul_pd(hi, _mm256_set1_pd(4294967296.0));
    __m256d wh = _mm256_add_pd(a, lo);
    __m256d wl = _mm256_sub_pd(lo, _mm256_sub_pd(wh, a));  // (Fast2Sum: a >= lo, or a = 0)
    __m256i k = _mm256_and_si256(_mm256_sub_epi64(zero, q), inForm);
    __m256d power = _mm256_i64gather_pd(scilearn_exact_powers_of_ten, k, 8);
    __m256d y = _mm256_div_pd(wh, power);
    __m256d rest = _mm256_add_pd(_mm256_fnmadd_pd(y, power, wh), wl);
    __m256i bits = _mm256_castpd_si256(y);
    // Half an ulp of y (y >= 10^-22: its exponent field is far above 53), times 10^k.
    __m256d half = _mm256_mul_pd(power, _mm256_castsi256_pd(_mm256_sub_epi64(_mm256_and_si256(bits, _mm256_set1_epi64x(0x7FF0000000000000LL)),
                                                                             _mm256_set1_epi64x(53LL << 52))));
    __m256d size = _mm256_and_pd(rest, _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFLL)));
    __m256d keep = _mm256_cmp_pd(size, _mm256_mul_pd(half, _mm256_set1_pd(1 - 0x1p-50)), _CMP_LE_OQ);
    __m256d step = _mm256_and_pd(_mm256_cmp_pd(size, _mm256_mul_pd(half, _mm256_set1_pd(1 + 0x1p-50)), _CMP_GE_OQ),
                                 _mm256_cmp_pd(size, _mm256_mul_pd(half, _mm256_set1_pd(3 * (1 - 0x1p-50))), _CMP_LE_OQ));
    __m256i significand = _mm256_and_si256(bits, _mm256_set1_epi64x(0x000FFFFFFFFFFFFFLL));
    __m256i done = _mm256_and_si256(_mm256_and_si256(inForm, _mm256_cmpgt_epi64(significand, _mm256_set1_epi64x(1))),
                                    _mm256_castpd_si256(_mm256_or_pd(keep, step)));
    // The neighbour: one more or one less in the bits, by the remainder's sign.
    __m256i down = _mm256_cmpgt_epi64(zero, _mm256_castpd_si256(rest));
    bits = _mm256_add_epi64(bits, _mm256_and_si256(_mm256_or_si256(down, _mm256_set1_epi64x(1)), _mm256_castpd_si256(step)));
    bits = _mm256_or_si256(bits, _mm256_and_si256(_mm256_loadu_si256((const __m256i *)to), _mm256_set1_epi64x(LONG_MIN)));
    uint64_t lanes[4];
    _mm256_storeu_si256((__m256i *)lanes, bits);
    for (int i = 0; i < 4; i++) memcpy(out + (to[i] & LONG_MAX), &lanes[i], 8);
    return (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(done));
}
#endif

/// A decimal number of more than 19 significant digits, [s, stop) (already scanned), by `strtod`
/// on a terminated copy (correctly rounded, as glibc's is): OK, or OVERFLOW when it is beyond the
/// largest double (or the copy cannot be made).
static int scilearn_decimal_long(const uint8_t *s, const uint8_t *stop, double *value) {
    char local[256];
    size_t n = (size_t)(stop - s);
    char *copy = n < sizeof local ? local : malloc(n + 1);
    if (!copy) return SCILEARN_DECIMAL_OVERFLOW;
    memcpy(copy, s, n);
    copy[n] = 0;
    double v = strtod(copy, NULL);
    if (copy != local) free(copy);
    if (!isfinite(v)) return SCILEARN_DECIMAL_OVERFLOW;
    *value = v;
    return SCILEARN_DECIMAL_OK;
}

/// `scilearn_decimal`'s body: scan, then convert.
static inline __attribute__((always_inline)) int scilearn_decimal_inline(const uint8_t *s, const uint8_t *end, const uint8_t **stop, double *value) {
    scilearn_decimal_parts parts;
    int found = scilearn_decimal_scan(s, end, stop, &parts);
    if (found == SCILEARN_DECIMAL_LONG) return scilearn_decimal_long(s, *stop, value);
    return found == SCILEARN_DECIMAL_OK ? scilearn_decimal_convert(parts, value) : found;
}

#endif
