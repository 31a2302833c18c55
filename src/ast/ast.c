/* ast.c: building and walking generic AST nodes (shared by every front end). */
#include "ast.h"

#include <string.h>

AstNode *ast_new(Arena *a, AstKind kind, AstPos start, AstPos end)
{
    AstNode *n = arena_alloc(a, sizeof *n);
    n->kind = (uint8_t)kind;
    n->start = start;
    n->end = end;
    return n;
}

AstNode *ast_empty(Arena *a, AstPos at)
{
    return ast_new(a, AST_EMPTY, at, at);
}

void ast_set_kids(Arena *a, AstNode *n, AstNode **kids, size_t nkids)
{
    n->nkids = (uint32_t)nkids;
    n->kids = NULL;
    if (nkids == 0) return;
    n->kids = arena_alloc(a, nkids * sizeof *kids);
    memcpy(n->kids, kids, nkids * sizeof *kids);
}

void ast_kids_finish(Arena *a, AstNode *n, AstKids *kids)
{
    ast_set_kids(a, n, kids->v, kids->n);
    VEC_FREE(*kids);
}

/* Iterative, with an explicit stack: trees can be deep and walkers run everywhere. */
void ast_walk(AstNode *root, AstVisitFn fn, void *ctx)
{
    if (!root) return;
    VEC(AstNode *) stack = {0};
    VEC_PUSH(stack, root);
    while (stack.n) {
        AstNode *n = stack.v[--stack.n];
        if (!fn(n, ctx)) continue;
        for (uint32_t i = n->nkids; i-- > 0;) VEC_PUSH(stack, n->kids[i]);
    }
    VEC_FREE(stack);
}

static bool link_kids(AstNode *n, void *ctx)
{
    (void)ctx;
    for (uint32_t i = 0; i < n->nkids; i++) n->kids[i]->parent = n;
    return true;
}

void ast_link_parents(AstNode *root)
{
    if (!root) return;
    root->parent = NULL;
    ast_walk(root, link_kids, NULL);
}

AstNode *ast_func_body(const AstNode *fn)
{
    if (fn->kind != AST_FUNC && fn->kind != AST_LAMBDA) return NULL;
    if (fn->nkids == 0) return NULL;
    AstNode *last = fn->kids[fn->nkids - 1];
    if (fn->kind == AST_FUNC) return last->kind == AST_BLOCK ? last : NULL;
    return last->kind == AST_PARAM ? NULL : last;
}
