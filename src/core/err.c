/* err.c: the caller-owned error report. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "daryn/err.h"

void dy_err_clear(struct dy_err *err)
{
    if (!err)
        return;
    err->code = 0;
    err->where[0] = '\0';
    err->msg[0] = '\0';
}

int dy_err_set(struct dy_err *err, int code, const char *where,
               const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void dy_err_prefix(struct dy_err *err, const char *prefix)
{
    if (!err || !prefix || !*prefix)
        return;
    char tmp[DY_ERR_WHERE_MAX];
    if (err->where[0])
        snprintf(tmp, sizeof(tmp), "%s: %s", prefix, err->where);
    else
        snprintf(tmp, sizeof(tmp), "%s", prefix);
    memcpy(err->where, tmp, sizeof(tmp));
}

const char *dy_err_format(const struct dy_err *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return "";
    if (!err) {
        buf[0] = '\0';
        return buf;
    }
    const char *msg = err->msg[0] ? err->msg : dy_code_name(err->code);
    if (err->where[0])
        snprintf(buf, size, "%s: %s", err->where, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

const char *dy_code_name(int code)
{
    switch (code) {
    case DY_OK: return "no error";
    case DY_EINVAL: return "invalid value";
    case DY_ENOMEM: return "out of memory";
    case DY_EIO: return "input/output error";
    case DY_EFORMAT: return "malformed file";
    case DY_ERANGE: return "value out of range";
    case DY_ENOTFOUND: return "not found";
    case DY_EUNSUPPORTED: return "not supported";
    case DY_ECANCELED: return "canceled";
    case DY_ELIMIT: return "safety limit exceeded";
    case DY_EEXTERNAL: return "external library failed";
    }
    return "unknown error";
}
