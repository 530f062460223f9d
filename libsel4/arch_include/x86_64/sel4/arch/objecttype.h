/* x86_64 object types for seL4_Untyped_Retype (after the generic ones;
 * seL4's numbering with huge pages on, non-MCS). */
#pragma once
#include <sel4/objecttype.h>

typedef enum _mode_object {
    seL4_X86_PDPTObject = seL4_NonArchObjectTypeCount,
    seL4_X64_PML4Object,
    seL4_X64_HugePageObject,
    seL4_ModeObjectTypeCount
} seL4_ModeObjectType;

typedef enum _object {
    seL4_X86_4K = seL4_ModeObjectTypeCount,
    seL4_X86_LargePageObject,
    seL4_X86_PageTableObject,
    seL4_X86_PageDirectoryObject,
    seL4_ObjectTypeCount
} seL4_ArchObjectType;
typedef seL4_ArchObjectType seL4_X86_ObjectType;
typedef seL4_Word object_t;
#define seL4_X64_VSpaceObject seL4_X64_PML4Object
