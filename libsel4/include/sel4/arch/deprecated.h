/* No deprecated RISC-V names are provided. */
#pragma once
