#ifndef OSPREY_GETRANDOM_H
#define OSPREY_GETRANDOM_H
#include <stddef.h>
#include <sys/types.h>

/// getrandom(2) with flags 0: blocks only until the kernel's pool is initialized, then never.
ssize_t osprey_getrandom(void *buffer, size_t length);
#endif
