/* testutil.h: what every unit test includes: cmocka and small helpers for reading
 * snippets into ASTs and files into strings. */
#ifndef SLUICE_TESTUTIL_H
#define SLUICE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The directory of the checkout's tests/data, and ../shared beside the checkout. */
#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif
#define SHARED_DIR "../shared"

/* Asserts that haystack contains needle, printing both when it does not. */
#define assert_contains(haystack, needle) do { \
        const char *h_ = (haystack), *n_ = (needle); \
        if (!h_ || !strstr(h_, n_)) { \
            print_error("expected to find:\n%s\nin:\n%s\n", n_, h_ ? h_ : "(null)"); \
            fail(); \
        } \
    } while (0)

#define assert_not_contains(haystack, needle) do { \
        const char *h_ = (haystack), *n_ = (needle); \
        if (h_ && strstr(h_, n_)) { \
            print_error("did not expect:\n%s\nin:\n%s\n", n_, h_); \
            fail(); \
        } \
    } while (0)

#endif
