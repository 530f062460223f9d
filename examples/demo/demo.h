/* Labels of the demo server's protected procedures and of its answers. */
#pragma once
#define DEMO_SUM 1
#define DEMO_REVERSE 2
#define DEMO_OK 0
#define DEMO_UNKNOWN 99
