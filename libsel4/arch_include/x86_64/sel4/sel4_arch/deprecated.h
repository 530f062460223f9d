/* No deprecated x86_64 names are provided. */
#pragma once
