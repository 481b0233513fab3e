import CDataKernels

/// A decimal number of a text field, to the double nearest it (the same bits as `strtod`):
/// `[+-]digits[.digits][(e|E)[+-]digits]`, or `.5`, or `5.`, with spaces and tabs around it
/// allowed, as pandas reads them.
///
/// The conversion is `scilearn_decimal` (CDataKernels), the one the CSV fast path inlines:
/// Clinger's fast path (at most 15 digits, so an integer below 2⁵³, and a power of ten of
/// magnitude at most 22: one exact operation, correctly rounded) takes short decimals; the Eisel-Lemire
/// algorithm (the 19-digit integer times a 128-bit 5^q, rounded to nearest-even from the
/// product's top bits; Lemire, "Number parsing at a gigabyte per second", 2021, with Mushtak and
/// Lemire's proof that the 128-bit product always suffices) takes the 17-digit decimals numpy
/// and pandas write; only more than 19 significant digits go to `strtod` on a terminated copy.
/// Every path gives `strtod`'s bits (tested on random decimals, at both code paths).
enum DecimalParser {
    /// The value of `field` (without its quotes), or nil when it is not a decimal number
    /// (empty, `NA`, `nan`, `inf`, text) or is beyond the largest double.
    static func parse(_ field: UnsafeRawBufferPointer) -> Double? {
        var start = 0, end = field.count
        while start < end && (field[start] == 0x20 || field[start] == 0x09) { start += 1 }
        while end > start && (field[end - 1] == 0x20 || field[end - 1] == 0x09 || field[end - 1] == 0x0D) { end -= 1 }
        guard start < end, let base = field.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var stop: UnsafePointer<UInt8>? = nil
        var value = 0.0
        guard Int(scilearn_decimal(base + start, base + end, &stop, &value)) == SCILEARN_DECIMAL_OK, stop == base + end else { return nil }
        return value
    }
}
