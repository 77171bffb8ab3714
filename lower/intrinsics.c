/* The primitives pyaot's library code is written with (lib/intrinsics.py):
 * tuples of shapes with an item dropped or replaced, and an axis moved
 * last, where the item or axis is known only at run time (a chain of
 * selects over the ones the type fixes); the axis a reduction loops over
 * innermost; numpy's AxisError. */
#include "lw.h"

#include <string.h>

static LLVMValueRef i64c(LwModule *m, int64_t v) { return LLVMConstInt(m->i64, (unsigned long long)v, 1); }

static LLVMValueRef arg(LwFn *fn, const Instr *call, int i, const Type *t) {
    const Instr *a = lw_call_arg(call, i);
    return lw_convert(fn, lw_val(fn, a), a->type, t);
}

/* Item j of a tuple of int64 (n items), j known at run time. */
static LLVMValueRef pick(LwFn *fn, LLVMValueRef tuple, int n, LLVMValueRef j) {
    LLVMValueRef v = i64c(fn->m, 0);
    for (int i = 0; i < n; i++)
        v = LLVMBuildSelect(fn->b, LLVMBuildICmp(fn->b, LLVMIntEQ, j, i64c(fn->m, i), ""),
                            LLVMBuildExtractValue(fn->b, tuple, (unsigned)i, ""), v, "");
    return v;
}

static LLVMValueRef shape_without(LwFn *fn, const Instr *call) {
    const Type *i64 = ty_int64(fn->m->tt);
    const Instr *shape = lw_call_arg(call, 0);
    LLVMValueRef in = lw_val(fn, shape), k = arg(fn, call, 1, i64);
    LLVMValueRef out = LLVMGetUndef(lw_type(fn->m, call->type));
    for (int j = 0; j < call->type->nfields; j++) {
        LLVMValueRef before = LLVMBuildICmp(fn->b, LLVMIntSLT, i64c(fn->m, j), k, "");
        LLVMValueRef v = LLVMBuildSelect(fn->b, before, LLVMBuildExtractValue(fn->b, in, (unsigned)j, ""),
                                         LLVMBuildExtractValue(fn->b, in, (unsigned)j + 1, ""), "");
        out = LLVMBuildInsertValue(fn->b, out, lw_convert(fn, v, shape->type->fields[j], i64), (unsigned)j, "");
    }
    return out;
}

static LLVMValueRef shape_with(LwFn *fn, const Instr *call) {
    const Type *i64 = ty_int64(fn->m->tt);
    const Instr *shape = lw_call_arg(call, 0);
    LLVMValueRef in = lw_val(fn, shape), k = arg(fn, call, 1, i64), n = arg(fn, call, 2, i64);
    LLVMValueRef out = LLVMGetUndef(lw_type(fn->m, call->type));
    for (int j = 0; j < call->type->nfields; j++) {
        LLVMValueRef v = lw_convert(fn, LLVMBuildExtractValue(fn->b, in, (unsigned)j, ""), shape->type->fields[j], i64);
        v = LLVMBuildSelect(fn->b, LLVMBuildICmp(fn->b, LLVMIntEQ, i64c(fn->m, j), k, ""), n, v, "");
        out = LLVMBuildInsertValue(fn->b, out, v, (unsigned)j, "");
    }
    return out;
}

static LLVMValueRef move_axis_last(LwFn *fn, const Instr *call) {
    LwModule *m = fn->m;
    const Instr *a = lw_call_arg(call, 0);
    const Type *t = a->type;
    LLVMValueRef arr = lw_val(fn, a), k = arg(fn, call, 1, ty_int64(m->tt));
    int nd = t->ndim;
    LLVMValueRef dims_in = LLVMGetUndef(LLVMArrayType2(m->i64, (uint64_t)nd)), strides_in = dims_in;
    for (int j = 0; j < nd; j++) {
        dims_in = LLVMBuildInsertValue(fn->b, dims_in, lw_array_dim(fn, arr, j), (unsigned)j, "");
        strides_in = LLVMBuildInsertValue(fn->b, strides_in, lw_array_stride(fn, arr, t, j), (unsigned)j, "");
    }
    LLVMValueRef dims[64], strides[64];
    for (int j = 0; j < nd; j++) {
        // Axes before k stay, those after shift down one, k goes last.
        LLVMValueRef from = j == nd - 1 ? k
                                        : LLVMBuildSelect(fn->b, LLVMBuildICmp(fn->b, LLVMIntSLT, i64c(m, j), k, ""),
                                                          i64c(m, j), i64c(m, j + 1), "");
        dims[j] = pick(fn, dims_in, nd, from);
        strides[j] = pick(fn, strides_in, nd, from);
    }
    LLVMValueRef v = lw_array_struct(fn, call->type, lw_array_meminfo(fn, arr), lw_array_data(fn, arr), dims, strides);
    lw_incref(fn, v, call->type);
    return v;
}

static LLVMValueRef innermost_axis(LwFn *fn, const Instr *call) {
    LwModule *m = fn->m;
    const Instr *a = lw_call_arg(call, 0);
    LLVMValueRef arr = lw_val(fn, a);
    LLVMTypeRef i64 = m->i64;
    LLVMValueRef best = i64c(m, a->type->ndim - 1), least = NULL;
    for (int j = a->type->ndim - 1; j >= 0; j--) {
        LLVMValueRef s = lw_array_stride(fn, arr, a->type, j);
        LLVMValueRef mag = lw_intrinsic(fn, "llvm.abs", &i64, 1, (LLVMValueRef[]){s, LLVMConstInt(m->i1, 0, 0)}, 2);
        if (!least) {
            least = mag;
            continue;
        }
        LLVMValueRef smaller = LLVMBuildICmp(fn->b, LLVMIntULT, mag, least, "");
        best = LLVMBuildSelect(fn->b, smaller, i64c(m, j), best, "");
        least = LLVMBuildSelect(fn->b, smaller, mag, least, "");
    }
    return best;
}

/* numpy's own function, called through Python: the arguments go as a
 * native tuple (arrays as C-contiguous copies, which numpy may keep), the
 * result comes back as the type inference fixed. */
static LLVMValueRef numpy_call(LwFn *fn, const Instr *call) {
    LwModule *m = fn->m;
    int n = call->nargs - 1 - 3;
    const Type **types = ARENA_ARRAY(m->arena, const Type *, n > 0 ? n : 1);
    LLVMValueRef *values = ARENA_ARRAY(m->arena, LLVMValueRef, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) {
        const Instr *a = lw_call_arg(call, 3 + i);
        types[i] = a->type;
        values[i] = lw_val(fn, a);
        if (a->type->kind == TY_ARRAY) {
            types[i] = ty_array(m->tt, a->type->dtype, a->type->ndim, 'C');
            values[i] = lw_array_copy(fn, values[i], a->type, types[i]);
        }
    }
    const Type *args_t = ty_tuple(m->tt, types, n);
    LLVMValueRef args = LLVMGetUndef(lw_type(m, args_t));
    for (int i = 0; i < n; i++)
        if (values[i])
            args = LLVMBuildInsertValue(fn->b, args, values[i], (unsigned)i, "");
    LLVMValueRef args_slot = lw_entry_alloca(fn, lw_type(m, args_t), "numpy_args");
    LLVMBuildStore(fn->b, args, args_slot);
    LLVMTypeRef out_type = lw_type(m, call->type);
    LLVMValueRef out_slot = lw_entry_alloca(fn, out_type ? out_type : m->i8, "numpy_result");
    LLVMValueRef rt_args[6] = {lw_cstring(m, lw_call_arg(call, 0)->type->name),
                               lw_cstring(m, lw_call_arg(call, 1)->type->name), args_slot,
                               lw_type_desc(m, args_t, false), out_slot, lw_type_desc(m, call->type, false)};
    LLVMValueRef status = lw_call(fn, "pyaot_rt_call_numpy", rt_args, 6);
    LLVMBasicBlockRef ok;
    lw_check(fn, LLVMBuildICmp(fn->b, LLVMIntNE, status, LLVMConstInt(m->i32, 0, 0), ""), &ok);
    lw_fail(fn);
    lw_resume(fn, ok);
    return out_type ? LLVMBuildLoad2(fn->b, out_type, out_slot, "") : NULL;
}

/* A runtime function from frontend/runtime_calls.c's table. */
static LLVMValueRef runtime_call(LwFn *fn, const Instr *call) {
    LwModule *m = fn->m;
    const FeRuntimeCall *rc = fe_runtime_call(lw_call_arg(call, 0)->type->name);
    int n = (int)strlen(rc->params);
    LLVMValueRef args[8];
    for (int i = 0; i < n; i++)
        args[i] = arg(fn, call, 1 + i, fe_runtime_type(m->tt, rc->params[i]));
    LLVMValueRef error = NULL;
    if (rc->raiser) {
        error = lw_entry_alloca(fn, m->i32, "runtime_error");
        args[n++] = error;
    }
    LLVMValueRef v = lw_call(fn, rc->symbol, args, n);
    if (error) {
        LLVMValueRef code = LLVMBuildLoad2(fn->b, m->i32, error, "");
        LLVMBasicBlockRef ok;
        lw_check(fn, LLVMBuildICmp(fn->b, LLVMIntNE, code, LLVMConstInt(m->i32, 0, 0), ""), &ok);
        lw_call(fn, rc->raiser, &code, 1);
        lw_fail(fn);
        lw_resume(fn, ok);
    }
    return rc->ret == 'v' ? LLVMConstInt(m->i8, 0, 0) : v;
}

LLVMValueRef lw_intrinsic_call(LwFn *fn, const Instr *call) {
    LwModule *m = fn->m;
    switch (call->builtin) {
    case B_LIB_SHAPE_WITHOUT: return shape_without(fn, call);
    case B_LIB_SHAPE_WITH: return shape_with(fn, call);
    case B_LIB_MOVE_AXIS_LAST: return move_axis_last(fn, call);
    case B_LIB_INNERMOST_AXIS: return innermost_axis(fn, call);
    case B_LIB_NUMPY_CALL: return numpy_call(fn, call);
    case B_LIB_RUNTIME: return runtime_call(fn, call);
    case B_LIB_NOT_IN_LIST: {
        const Instr *x = call->args[1];
        LLVMValueRef slot = lw_entry_alloca(fn, lw_type(m, x->type), "missing");
        LLVMBuildStore(fn->b, lw_val(fn, x), slot);
        LLVMValueRef args[2] = {slot, lw_type_desc(m, x->type, false)};
        lw_call(fn, "pyaot_rt_list_not_in_list", args, 2);
        lw_fail(fn);
        LLVMPositionBuilderAtEnd(fn->b, lw_block(fn, "after_raise"));
        return LLVMConstInt(m->i8, 0, 0);
    }
    case B_LIB_AXIS_ERROR: {
        const Type *i64 = ty_int64(m->tt);
        LLVMValueRef args[2] = {arg(fn, call, 0, i64), arg(fn, call, 1, i64)};
        lw_call(fn, "pyaot_rt_raise_axis_error", args, 2);
        lw_fail(fn);
        // Code after a raise is unreachable but still needs a block.
        LLVMPositionBuilderAtEnd(fn->b, lw_block(fn, "after_raise"));
        return LLVMConstInt(m->i8, 0, 0);
    }
    case B_LIB_VALUE_ERROR: {
        // The values go in an array on the stack; the runtime formats them.
        int n = call->nargs - 2;
        LLVMValueRef values = lw_entry_alloca(fn, LLVMArrayType2(m->i64, (uint64_t)(n > 0 ? n : 1)), "values");
        for (int i = 0; i < n; i++) {
            LLVMValueRef at = i64c(m, i);
            LLVMBuildStore(fn->b, arg(fn, call, i + 1, ty_int64(m->tt)),
                           LLVMBuildInBoundsGEP2(fn->b, m->i64, values, &at, 1, ""));
        }
        LLVMValueRef args[4] = {LLVMConstInt(m->i32, EXC_VALUE, 0), lw_cstring(m, lw_call_arg(call, 0)->type->name),
                                values, LLVMConstInt(m->i32, (unsigned)n, 0)};
        lw_call(fn, "pyaot_rt_raise_format", args, 4);
        lw_fail(fn);
        LLVMPositionBuilderAtEnd(fn->b, lw_block(fn, "after_raise"));
        return LLVMConstInt(m->i8, 0, 0);
    }
    case B_LIB_COMPILE_ERROR: // unreachable once compiled: inference reports it
        return LLVMConstInt(m->i8, 0, 0);
    default:
        diag_internal(m->d, "no lowering for intrinsic %s", fe_builtin_name((Builtin)call->builtin));
    }
}
