// No contraction into FMAs: Clinger's path is one correctly rounded operation. (Before the
// bodies, so that it covers them.)
#pragma STDC FP_CONTRACT OFF
#include "DecimalCore.h"
#include "DataKernelsLevel.h"

static int level_cap = 1;

int scilearn_data_level(void) {
#if defined(__x86_64__)
    static int detected = -1;
    int d = __atomic_load_n(&detected, __ATOMIC_RELAXED);
    if (d < 0) {
        __builtin_cpu_init();
        d = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
            __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("sse4.1");
        __atomic_store_n(&detected, d, __ATOMIC_RELAXED);
    }
    int cap = __atomic_load_n(&level_cap, __ATOMIC_RELAXED);
    return d < cap ? d : cap;
#else
    return 0;
#endif
}

int scilearn_data_set_level(int level) {
    __atomic_store_n(&level_cap, level, __ATOMIC_RELAXED);
    return scilearn_data_level();
}

int scilearn_decimal(const uint8_t *s, const uint8_t *end, const uint8_t **stop, double *value) {
#if defined(__x86_64__)
    if (scilearn_data_level() == 1) return scilearn_decimal_avx2(s, end, stop, value);
#endif
    return scilearn_decimal_inline(s, end, stop, value);
}
