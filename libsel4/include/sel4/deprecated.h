/* No deprecated names are provided: code written for current seL4 needs none. */
#pragma once
