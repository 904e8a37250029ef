#ifndef ZORGZONES_CPROJ_SHIM_H
#define ZORGZONES_CPROJ_SHIM_H
#include <proj.h>
#endif
