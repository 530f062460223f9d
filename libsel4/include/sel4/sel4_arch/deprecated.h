/* No deprecated riscv64 names are provided. */
#pragma once
