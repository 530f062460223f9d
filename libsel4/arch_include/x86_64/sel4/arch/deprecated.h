/* No deprecated x86 names are provided. */
#pragma once
