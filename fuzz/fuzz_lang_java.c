/* fuzz_lang_java.c: libFuzzer target for the java front end (parse and lower stages):
 * any bytes must parse and lower without a crash, and the tree must dump. */
#include "lang/lang.h"

#include <stdlib.h>

static LangParser *parser;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!parser) parser = lang_parser_new();   /* one per process, as one per thread */
    DiagList diags = {0};
    AstFile *f = lang_parse_file(parser, LANG_JAVA, "fuzz", (const char *)data, size, &diags);
    char *dump = ast_dump_string(f->root);
    free(dump);
    lang_file_free(f);
    diag_list_free(&diags);
    return 0;
}
