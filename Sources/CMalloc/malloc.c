#include "osprey_malloc.h"
#include <malloc.h>

int osprey_malloc_set_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}

int osprey_malloc_set_arena_max(int arenas) {
    return mallopt(M_ARENA_MAX, arenas);
}
