#pragma once
/* Host unit tests: kernel objects live in a test arena; orefs are offsets
 * from host_kobj_base, as physical addresses are on the target. */
extern unsigned long host_kobj_base;
#define KOBJ_BASE host_kobj_base
