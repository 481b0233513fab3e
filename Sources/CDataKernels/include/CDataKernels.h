#ifndef SCILEARN_CDATAKERNELS_H
#define SCILEARN_CDATAKERNELS_H

#include <stdint.h>

/// The data readers' text kernels (`SciLearnData`), in C for the scan rates CSV needs: decimal
/// numbers to doubles with `strtod`'s bits, and CSV records parsed straight into a column-major
/// matrix. Swift keeps the reading, the messages and everything irregular.

/// What ``scilearn_decimal`` found.
enum {
    /// Not a decimal number (no digits, or an exponent without digits).
    SCILEARN_DECIMAL_NONE = 0,
    /// A decimal number; `value` holds it.
    SCILEARN_DECIMAL_OK = 1,
    /// (Internal: more than 19 significant digits, converted by `strtod`.)
    SCILEARN_DECIMAL_LONG = 2,
    /// A decimal number beyond the largest double.
    SCILEARN_DECIMAL_OVERFLOW = 3,
};

/// The decimal number `[+-]digits[.digits][(e|E)[+-]digits]` (at least one digit in its
/// mantissa) at the start of [s, end), to the double nearest it (`strtod`'s bits): Clinger's
/// exact fast path for up to 15 digits, else the Eisel-Lemire algorithm on the 128-bit powers of
/// five (Lemire, "Number parsing at a gigabyte per second", 2021), digits eight (AVX2: 32) at a
/// time; more than 19 significant digits by `strtod` on a copy. Returns NONE, OK or OVERFLOW;
/// `*stop` is where the number ends (set unless NONE). Never reads at or past `end`.
int scilearn_decimal(const uint8_t *s, const uint8_t *end, const uint8_t **stop, double *value);

/// Caps the code path of the number and record parsers at `level` (0: the x86-64 baseline, 1:
/// AVX2 with FMA, SSSE3 and SSE4.1: digits sixteen at a time, and the CSV parser's numbers
/// converted four at a time), for tests that compare the two (they give the same bits); returns
/// the level now in use.
int scilearn_data_set_level(int level);

/// The records in [start, end): lines that are neither empty nor a lone CR (the CSV readers
/// skip those), the last one counted even without its line end; `*lines` receives the lines,
/// empty ones included. `start` must begin a line.
long scilearn_csv_count_records(const uint8_t *bytes, long start, long end, long *lines);

/// Parses CSV records of `width` fields from `bytes[*position]` while they are in the plain form
/// numpy and pandas write (no quotes, no spaces around numbers, each field of a wanted column a
/// decimal number, `,` between fields, LF or CRLF after each record
/// except perhaps the file's last; empty lines skipped), at most `limit` records or up to `end`.
/// Field j of record r goes to `out[slot[j] * ld + row0 + r]` when `slot[j] >= 0` (other
/// fields are skipped unread). Returns the records parsed (each with every value written);
/// `*position` is left at the start of the first record not parsed; `*irregular` is set to 1
/// when that record is not in the plain form (the caller reads it with the general reader), else
/// 0. A value beyond the largest double is such a record. At level 1, numbers of up to 19
/// significant digits whose power of ten (decimals less exponent) is 10^0 to 10^-22 are
/// converted four at a time (a correctly rounded division checked by its exact remainder); the
/// bits are those of the one-at-a-time conversion.
long scilearn_csv_plain_records(const uint8_t *bytes, long *position, long end, long width, const long *slot,
                                double *out, long ld, long row0, long limit, int *irregular);


#endif
