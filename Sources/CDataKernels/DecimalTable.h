#ifndef SCILEARN_DECIMAL_TABLE_H
#define SCILEARN_DECIMAL_TABLE_H
#include <stdint.h>

// The range of the powers-of-five table (PowersOfFive.c, written by Scripts/powers-of-five.py).
#define SCILEARN_POW5_SMALLEST (-342)
#define SCILEARN_POW5_LARGEST 308

extern const uint64_t scilearn_powers_of_five[];

#endif
