#ifndef OSPREY_BUILD_H
#define OSPREY_BUILD_H
/// The VCS revision baked in at build time: swift build -Xcc -DOSPREY_REVISION='"<sha>"'.
const char *osprey_build_revision(void);
#endif
