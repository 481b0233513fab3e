// The CSV parser's four-at-a-time conversion (`scilearn_convert4`, DecimalCore.h) against the
// one-at-a-time conversion (`scilearn_decimal_convert`: Clinger, Eisel-Lemire) on random parts
// (1 to 19 digits, powers of ten 10^2 to 10^-23, either sign, some mantissas of few bits), and
// both against exact values for decimals next to halfway points (near_halfway.py). Every lane
// the vector path takes must give the scalar path's bits. Run by `Scripts/decimal-check/run`.
//
//     check_convert4 RANDOM_GROUPS [NEAR_HALFWAY.bin]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#pragma clang attribute push(__attribute__((target("avx2,fma,bmi,bmi2,popcnt,ssse3,sse4.1"))), apply_to = function)
#pragma STDC FP_CONTRACT OFF
#define SCILEARN_SIMD_DIGITS 1
#include "DecimalCore.h"

static uint64_t state = 88172645463325252ULL;
static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }
static long mismatches, exactMisses, taken, lanes;

static void check(scilearn_decimal_parts *p, const uint64_t *expected) {
    double vector[4], scalar[4];
    // (By component, as the parser queues them: the sign in bit 63 of each offset.)
    uint64_t mantissa[4];
    long exponent[4], to[4];
    for (int i = 0; i < 4; i++) {
        mantissa[i] = p[i].mantissa;
        exponent[i] = p[i].exponent;
        to[i] = i | (p[i].negative ? LONG_MIN : 0);
    }
    unsigned done = scilearn_convert4(mantissa, exponent, to, vector);
    for (int i = 0; i < 4; i++) {
        scilearn_decimal_convert(p[i], &scalar[i]);
        uint64_t a, b;
        memcpy(&a, &vector[i], 8);
        memcpy(&b, &scalar[i], 8);
        lanes++;
        if (expected && b != expected[i] && exactMisses++ < 20)
            printf("scalar differs from the exact value: w=%llu q=%ld\n", (unsigned long long)p[i].mantissa, p[i].exponent);
        if (done >> i & 1) {
            taken++;
            if (a != b && mismatches++ < 20)
                printf("MISMATCH w=%llu q=%ld negative=%d: vector %016llx, scalar %016llx\n", (unsigned long long)p[i].mantissa,
                       p[i].exponent, p[i].negative, (unsigned long long)a, (unsigned long long)b);
        }
    }
}

int main(int argc, char **argv) {
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) { printf("needs AVX2 and FMA\n"); return 2; }
    long groups = argc > 1 ? atol(argv[1]) : 10000000;
    scilearn_decimal_parts p[4];
    for (long n = 0; n < groups; n++) {
        for (int i = 0; i < 4; i++) {
            int digits = 1 + (int)(next() % 19);
            uint64_t limit = 1;
            for (int d = 0; d < digits; d++) limit *= 10;
            uint64_t w = next() % limit;
            if (next() % 8 == 0) w = (w >> (next() % 64)) | 1;
            p[i].mantissa = w;
            p[i].exponent = 2 - (long)(next() % 26);
            p[i].digits = digits;
            p[i].negative = (int)(next() & 1);
        }
        check(p, NULL);
    }
    long near = 0;
    if (argc > 2) {
        FILE *f = fopen(argv[2], "rb");
        if (!f) { printf("cannot open %s\n", argv[2]); return 2; }
        uint64_t record[4], expected[4];
        for (;;) {
            int got = 0;
            for (int i = 0; i < 4 && fread(record, 8, 4, f) == 4; i++, got++) {
                p[i].mantissa = record[0];
                p[i].exponent = (long)record[1];
                p[i].negative = (int)record[2];
                p[i].digits = 19;
                expected[i] = record[3];
            }
            if (got < 4) break;
            check(p, expected);
            near += 4;
        }
        fclose(f);
    }
    printf("random lanes %ld, near-halfway lanes %ld: %ld lanes, %ld taken by the vector path; %ld mismatches, %ld scalar misses of the exact value\n",
           groups * 4, near, lanes, taken, mismatches, exactMisses);
    return mismatches || exactMisses ? 1 : 0;
}
#pragma clang attribute pop
