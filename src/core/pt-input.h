/* pt-input.h: evdev keyboards and mice from /dev/input/by-id with names from /sys/class/input. */
#pragma once

#include "pt-sysroot.h"

G_BEGIN_DECLS

typedef enum {
  PT_INPUT_KIND_KEYBOARD,
  PT_INPUT_KIND_MOUSE,
  PT_INPUT_KIND_OTHER,
} PtInputKind;

typedef struct {
  char        *name;     /* "Logitech USB Receiver" from /sys/class/input/eventN/device/name */
  char        *path;     /* "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd" */
  char        *event;    /* "event3" */
  PtInputKind  kind;
} PtInputDevice;

/* Sorted by path; empty when /dev/input/by-id does not exist. */
GPtrArray  *pt_input_read            (PtSysroot   *sysroot,
                                      GError     **error);
void        pt_input_device_free     (PtInputDevice *self);
const char *pt_input_kind_to_string  (PtInputKind  kind);

G_END_DECLS
