/* The marker the control agent sends on each new connection before its
 * greeting (proto/control.proto, Hello). A client reads the stream until
 * it has seen these eight bytes, then the greeting's frame: bytes an
 * earlier connection left in the transport may come before the marker,
 * never after it. */
#ifndef HYPOS_CONTROL_SYNC_H
#define HYPOS_CONTROL_SYNC_H

#define HYPOS_CONTROL_SYNC_LEN 8
#define HYPOS_CONTROL_SYNC \
    "\xff"                 \
    "hypOS"                \
    "\x01\xfe"

#endif
