/*
 * openapi: the OpenAPI 3 document of the HTTP API. It is written by hand
 * as JSON in src/serve/openapi.json (keep it in step with the route table of
 * api.c: test_api checks that every route appears in it) and embedded here
 * at build time with the assembler's .incbin, so the binary needs no file
 * at run time. The path is relative to the folder make runs in (the
 * repository root); the Makefile makes the object depend on the JSON.
 */
#include "api.h"

__asm__(".section .rodata\n"
	".global finq_openapi_start\n"
	".hidden finq_openapi_start\n"
	".type finq_openapi_start, @object\n"
	"finq_openapi_start:\n"
	".incbin \"src/serve/openapi.json\"\n"
	".global finq_openapi_end\n"
	".hidden finq_openapi_end\n"
	"finq_openapi_end:\n"
	".byte 0\n"
	".previous\n");

extern const unsigned char finq_openapi_start[] __attribute__((visibility("hidden")));
extern const unsigned char finq_openapi_end[] __attribute__((visibility("hidden")));

const unsigned char *openapi_document(size_t *len)
{
	*len = (size_t)(finq_openapi_end - finq_openapi_start);
	return finq_openapi_start;
}
