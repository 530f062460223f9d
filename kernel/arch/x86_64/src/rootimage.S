/* The root task's ELF file, embedded in the kernel image. */
.section .rodata.rootimage, "a"
.balign 4096
.global _rootimage_start
_rootimage_start:
.incbin ROOTIMAGE
.global _rootimage_end
_rootimage_end:
