#include "osprey_getrandom.h"
#include <sys/random.h>

ssize_t osprey_getrandom(void *buffer, size_t length) { return getrandom(buffer, length, 0); }
