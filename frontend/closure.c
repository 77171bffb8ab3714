/* Nested functions: defs, lambdas and comprehensions inside a compiled
 * function.
 *
 * A nested function is a compile-time value (TY_FUNCTION of its code
 * object) whose run-time part is only what it captures: the values of the
 * enclosing function's variables it reads, taken when MAKE_FUNCTION runs.
 * Calling it specialises its code like any user function, the captured
 * values passed after its own arguments (ssa.c makes its free variables
 * those trailing arguments). Passing one to another compiled function
 * passes those values and specialises the callee on the function, so calls
 * through a parameter are direct and inline; nothing at run time chooses
 * between functions.
 *
 * Capturing by value equals Python's capture by reference as long as the
 * variable does not change after the function is made: ssa.c refuses a
 * variable assigned in more than one place, and nonlocal assignments. */
#include "frontend.h"

#include <string.h>

bool fe_is_comprehension(const FeCode *code) {
    return strcmp(code->name, "<listcomp>") == 0 || strcmp(code->name, "<setcomp>") == 0 ||
           strcmp(code->name, "<dictcomp>") == 0 || fe_is_generator_expression(code);
}

bool fe_is_generator_expression(const FeCode *code) {
    return strcmp(code->name, "<genexpr>") == 0;
}

FeFunction *fe_nested_function(FeBuild *b, FeCode *code, const FeConst *defaults, const FeFunction *parent) {
    for (int i = 0; i < b->nested.len; i++)
        if (b->nested.data[i]->code == code)
            return b->nested.data[i];
    FeFunction *fn = ARENA_NEW(b->arena, FeFunction);
    const char *name = code->name;
    if (strcmp(name, "<lambda>") == 0)
        name = "lambda";
    else if (strcmp(name, "<listcomp>") == 0)
        name = "listcomp";
    else if (strcmp(name, "<genexpr>") == 0)
        name = "genexpr";
    else if (strcmp(name, "<setcomp>") == 0)
        name = "setcomp";
    else if (strcmp(name, "<dictcomp>") == 0)
        name = "dictcomp";
    fn->name = name;
    fn->code = code;
    if (defaults) {
        fn->ndefaults = defaults->nitems;
        fn->defaults = defaults->items;
    }
    fn->boundscheck = parent->boundscheck;
    fn->error_model_numpy = parent->error_model_numpy;
    fn->library = parent->library;
    fn->label = parent->label;
    vec_push(b->arena, &b->nested, fn);
    return fn;
}
