#include "osprey_build.h"

#ifndef OSPREY_REVISION
#define OSPREY_REVISION "unknown"
#endif

const char *osprey_build_revision(void) { return OSPREY_REVISION; }
