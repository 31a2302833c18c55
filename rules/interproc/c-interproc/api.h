/* api.h: declarations shared by the C interprocedural tests. */
struct job { const char *name; const char *other; const char *flags_text; int flags; };
struct req { int len; unsigned char data[64]; };
struct op { int code; int (*handler)(const struct req *r); };
const char *read_input(void);
const char *escape_shell(const char *s);
void run_command(const char *cmd);
