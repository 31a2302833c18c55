#include <stdlib.h>
#include <string.h>

void f(char *a, char *b, int n)
{
    /* ruleid: c-memcpy-same */
    memcpy(a, a, n);
    /* ok: c-memcpy-same */
    memcpy(a, b, n);
    // ruleid: c-strcpy
    strcpy(a, b);
    // ruleid: c-strcpy
    strcat(a, "x");
    // ok: c-strcpy
    strncpy(a, b, n);
}

void g(int n)
{
    // ruleid: c-malloc-unchecked
    char *p = malloc(n);
    p[0] = 1;
}

void h(int n)
{
    // ok: c-malloc-unchecked
    char *q = malloc(n);
    if (q == NULL) { return; }
    q[0] = 1;
}
