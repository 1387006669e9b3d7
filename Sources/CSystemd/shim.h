#ifndef OSPREY_CSYSTEMD_SHIM_H
#define OSPREY_CSYSTEMD_SHIM_H
// libsystemd for Osprey: the journal (sd_journal_sendv takes iovecs, so no variadic call is needed)
// and the service manager's notify protocol. sd_journal_send and sd_notifyf are variadic and are not used.
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#endif
