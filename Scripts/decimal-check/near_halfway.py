#!/usr/bin/env python3
"""Decimals next to the halfway points between adjacent doubles, with their correctly rounded
values, for check_convert4.c (run by `Scripts/decimal-check/run`, by hand; not in CI).

For random doubles d in (1e-22, 1.8e19), the exact midpoint m between d and the next double
(fractions.Fraction), and for each k in [0, 22] where m·10^k has 16 to 19 digits, the integers
floor(m·10^k) - 1 ... + 2 over 10^k: four decimals within about a thousandth of an ulp of a
halfway point each, with float(Fraction(w, 10^k)) (correctly rounded) as the expected bits.

    python3 near_halfway.py OUT.bin [COUNT]

Writes records of four little-endian 64-bit words: w, -k, negative (0/1), expected bits.
"""
import random
import struct
import sys
from fractions import Fraction


def main():
    path = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 400_000
    random.seed(12345)
    written = 0
    with open(path, "wb") as out:
        while written < count:
            d = random.uniform(1, 10) * 10.0 ** random.uniform(-25, 19)
            if not (1e-22 < d < 1.8e19):
                continue
            bits = struct.unpack("<Q", struct.pack("<d", d))[0]
            after = struct.unpack("<d", struct.pack("<Q", bits + 1))[0]
            m = (Fraction(d) + Fraction(after)) / 2
            for k in range(0, 23):
                x = m * 10 ** k
                if x >= 10 ** 19:
                    break
                if x < 10 ** 15:
                    continue
                base = x.numerator // x.denominator
                for delta in (-1, 0, 1, 2):
                    w = base + delta
                    if w <= 0 or w >= 2 ** 64:
                        continue
                    negative = random.random() < 0.5
                    v = float(Fraction(w, 10 ** k))
                    v = -v if negative else v
                    out.write(struct.pack("<QqqQ", w, -k, int(negative), struct.unpack("<Q", struct.pack("<d", v))[0]))
                    written += 1
    print(f"{written} decimals near halfway points written to {path}")


if __name__ == "__main__":
    main()
