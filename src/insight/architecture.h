/*
 * architecture: what the bill implies about the architecture (`finq
 * architecture`): insight_architecture, declared in insight.h, is this
 * module's only export; its tables of layers and signals live in
 * architecture.c.
 */
#ifndef FINQ_ARCHITECTURE_H
#define FINQ_ARCHITECTURE_H

#include "insight.h"

#endif
