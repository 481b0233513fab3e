#include "CKernels.h"
#include <stdint.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

void scilearn_advise_huge_pages(void *base, long bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)1 << 21;
    uintptr_t from = ((uintptr_t)base + huge - 1) & ~(huge - 1), to = ((uintptr_t)base + (uintptr_t)bytes) & ~(huge - 1);
    if (bytes > 0 && to > from) (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)base;
    (void)bytes;
#endif
}
