#include "osprey_malloc.h"
#include <malloc.h>

int osprey_malloc_set_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}
