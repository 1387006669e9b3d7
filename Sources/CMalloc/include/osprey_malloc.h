#ifndef OSPREY_MALLOC_H
#define OSPREY_MALLOC_H

/// mallopt(M_MMAP_THRESHOLD, bytes): allocations of at least `bytes` get their own mapping, returned to
/// the system when freed, and the threshold stays fixed. Returns 1 on success.
int osprey_malloc_set_mmap_threshold(int bytes);

/// mallopt(M_ARENA_MAX, arenas): at most `arenas` malloc heaps, whatever the number of threads.
/// Returns 1 on success.
int osprey_malloc_set_arena_max(int arenas);
#endif
