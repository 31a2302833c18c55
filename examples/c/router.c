/* A tiny request router in the shape of a firmware message handler table. */
#include <stdio.h>
#include <string.h>

#define SLOTS 8
typedef struct { int slot; int value; char name[16]; } Request;
typedef int (*Handler)(unsigned char *req, int len);

static int slots[SLOTS];
static char log_name[16];

static int set_slot(unsigned char *req, int len)
{
    Request *r = (Request *)req;
    (void)len;
    slots[r->slot] = r->value;               /* unchecked index from the request */
    return 0;
}

static int get_slot(unsigned char *req, int len)
{
    Request *r = (Request *)req;
    (void)len;
    if (r->slot < 0 || r->slot >= SLOTS) return -1;
    return slots[r->slot];                   /* checked */
}

static int set_log(unsigned char *req, int len)
{
    Request *r = (Request *)req;
    (void)len;
    sprintf(log_name, "%s.log", r->name);    /* a 15-byte name overflows log_name */
    return 0;
}

static int open_log(unsigned char *req, int len)
{
    (void)req; (void)len;
    FILE *f = fopen(log_name, "a");          /* path set by an earlier request */
    if (!f) return -1;
    fclose(f);
    return 0;
}

struct { int id; Handler fn; } handlers[] = {
    { 1, set_slot }, { 2, get_slot }, { 3, set_log }, { 4, open_log }, { 0, NULL },
};
