// The plain-records CSV parser (`scilearn_csv_plain_records`, PlainRecords.h) on random texts,
// every call's outcome written out: records taken, where it stopped, whether it met a record it
// does not take, and a hash of every value's bits. `Scripts/csv-check/run` builds it against
// the working tree and against an earlier revision, at both code paths, and compares: a change
// to the parser that is meant to keep its results must give the same file four times.
//
//     differential SEEDS OUT [LEVEL]
//
// Texts: 1-8 fields, 200-3,200 records of numbers in several forms (numpy's 17 digits, short
// and exponent forms, more than 19 digits, signs), CR before some line ends, and, rarely or
// often by seed: ragged records, empty lines, CRLF lines alone, text and spaced fields, records
// longer than the parser's window; with and without a final line end; all columns, a run of
// them, or a random choice; calls of random record limits, as CSVChunks makes them.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "CDataKernels.h"
static uint64_t s = 1;
static uint64_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }
static int put_number(char *p) {
    switch (rnd() % 12) {
    case 0: return sprintf(p, "%llu", (unsigned long long)(rnd() % 100000));
    case 1: return sprintf(p, "-%.3g", (double)(rnd() % 1000000) / 7);
    case 2: return sprintf(p, "%.17e", (double)(rnd() % 1000000) / 7);
    case 3: return sprintf(p, "%llu%llu", (unsigned long long)rnd(), (unsigned long long)rnd());
    default: return sprintf(p, "%s%.17g", rnd() % 2 ? "-" : "", (double)(rnd() % 100000000) / 9973);
    }
}
int main(int argc, char **argv) {
    long seeds = atol(argv[1]); if (argc > 3) scilearn_data_set_level(atoi(argv[3]));
    FILE *out = fopen(argv[2], "w");
    char *text = malloc(1 << 22);
    for (long seed = 1; seed <= seeds; seed++) {
        s = seed * 0x9E3779B97F4A7C15ULL | 1;
        long width = 1 + rnd() % 8, n = 0;
        long records = 200 + rnd() % 3000;
        int longRecords = rnd() % 5 == 0;
        for (long r = 0; r < records && n < (1 << 22) - 200000; r++) {
            long w = width;
            uint64_t kind = rnd() % (seed % 2 ? 1000 : 100000);
            if (kind < 3) w = width + 1;           // ragged
            if (kind >= 3 && kind < 6) w = width - 1 > 0 ? width - 1 : 1;
            if (kind >= 6 && kind < 12) { text[n++] = '\n'; continue; }  // empty line
            if (kind >= 12 && kind < 14) { text[n++] = '\r'; text[n++] = '\n'; continue; }
            int big = longRecords && rnd() % 50 == 0;
            for (long j = 0; j < w; j++) {
                if (j) text[n++] = ',';
                if (kind == 20 && j == w / 2) { n += sprintf(text + n, "x%ld", r); continue; }
                if (kind == 21 && j == 0) { n += sprintf(text + n, " 1.5"); continue; }
                n += put_number(text + n);
                if (big) { for (int q = 0; q < 4000; q++) text[n++] = '0' + q % 10; }
            }
            if (rnd() % 3 == 0) text[n++] = '\r';
            text[n++] = '\n';
        }
        if (rnd() % 2) n--;  // sometimes no final line end
        long slot[8];
        for (long j = 0; j < width; j++) slot[j] = -1;
        long wanted = 0, mode = rnd() % 3;
        for (long j = 0; j < width; j++) if (mode == 0 || (mode == 1 && j >= width / 3) || (mode == 2 && rnd() % 2)) slot[j] = wanted++;
        long lines;
        long count = scilearn_csv_count_records((uint8_t *)text, 0, n, &lines);
        double *vals = calloc((count + 1) * (wanted + 1), sizeof(double));
        long pos = 0, rows = 0, limit = 1 + rnd() % 700;
        while (pos < n) {
            int irregular = 0;
            long got = scilearn_csv_plain_records((uint8_t *)text, &pos, n, width, slot, vals, count + 1, rows, limit, &irregular);
            rows += got;
            fprintf(out, "seed %ld call got %ld pos %ld irr %d\n", seed, got, pos, irregular);
            if (irregular || got == 0) break;
        }
        uint64_t h = 0;
        for (long i = 0; i < (count + 1) * wanted; i++) { uint64_t b; memcpy(&b, &vals[i], 8); h = h * 31 + b; }
        fprintf(out, "seed %ld rows %ld hash %016llx\n", seed, rows, (unsigned long long)h);
        free(vals);
    }
    fclose(out);
    return 0;
}
