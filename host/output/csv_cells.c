/*
 * csv_cells.c - CSV cells and numbers.
 *
 * ts_csv_fixed is hand-written rather than printf("%.*f"): a similarity matrix
 * of 10,000 statements is 10^8 cells and printf's general float conversion is
 * the bottleneck there.  It scales by 10^precision and rounds to an integer,
 * using fma() to recover the scaling's rounding error, so the result is the
 * correctly rounded decimal of the exact binary value, ties to even: the same
 * digits as printf's %.*f, only faster.
 */
#include "csv_cells.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int needs_quotes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            return 1;
    return 0;
}

static int looks_like_formula(const char *s, size_t n)
{
    return n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                     s[0] == '\t' || s[0] == '\r');
}

void ts_csv_text(ts_buf *b, const char *s, size_t n, int escape_formulas)
{
    int guard = escape_formulas && looks_like_formula(s, n);
    if (!needs_quotes(s, n)) {
        if (guard)
            ts_buf_putc(b, '\'');
        ts_buf_append(b, s, n);
        return;
    }
    if (!ts_buf_reserve(b, 2 * n + 3))
        return;
    char *o = b->data + b->len;
    *o++ = '"';
    if (guard)
        *o++ = '\'';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *o++ = '"';
        *o++ = s[i];
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

void ts_csv_id(ts_buf *b, const char *source, unsigned long index, int escape_formulas)
{
    char tail[32];
    size_t sn = strlen(source);
    int tn = snprintf(tail, sizeof tail, ":%lu", index);
    if (!needs_quotes(source, sn) && !(escape_formulas && looks_like_formula(source, sn))) {
        ts_buf_append(b, source, sn);
        ts_buf_append(b, tail, (size_t)tn);
        return;
    }
    ts_buf tmp = {0};
    ts_buf_append(&tmp, source, sn);
    ts_buf_append(&tmp, tail, (size_t)tn);
    if (tmp.failed)
        b->failed = 1;
    else
        ts_csv_text(b, tmp.data, tmp.len, escape_formulas);
    ts_buf_free(&tmp);
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

/* Writes the decimal q / 10^precision (q already rounded) at o, with a '-'
 * when negative and q is not zero; returns the end.  At most 32 bytes. */
static char *put_scaled(char *o, uint64_t q, int precision, int negative)
{
    static const uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000,
                                     1000000, 10000000, 100000000, 1000000000};
    if (negative && q)
        *o++ = '-';
    uint64_t ip = q / pow10[precision], fp = q - ip * pow10[precision];
    if (ip < 10) {
        *o++ = (char)('0' + ip);
    } else {
        char tmp[24];
        int k = 0;
        do {
            tmp[k++] = (char)('0' + ip % 10);
            ip /= 10;
        } while (ip);
        while (k)
            *o++ = tmp[--k];
    }
    if (precision) {
        *o++ = '.';
        char *end = o + precision, *w = end;
        for (int d = precision; d >= 2; d -= 2) {
            w -= 2;
            memcpy(w, digit_pairs + 2 * (fp % 100), 2);
            fp /= 100;
        }
        if (w > o)
            *--w = (char)('0' + fp);
        o = end;
    }
    return o;
}

void ts_csv_fixed(ts_buf *b, double v, int precision)
{
    static const uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000,
                                     1000000, 10000000, 100000000, 1000000000};
    if (precision < 0)
        precision = 0;
    if (precision > 9)
        precision = 9;
    if (isnan(v)) {
        ts_buf_puts(b, "nan");
        return;
    }
    double a = fabs(v);
    if (a >= 1e9) { /* never a cosine; keep it correct, not fast */
        ts_buf_printf(b, "%.*f", precision, v);
        return;
    }
    uint64_t scale = pow10[precision];
    double prod = a * (double)scale;
    double err = fma(a, (double)scale, -prod); /* a * scale == prod + err exactly */
    double fl = floor(prod);
    double frac = (prod - fl) + err;
    uint64_t q = (uint64_t)fl;
    if (frac > 0.5 || (frac == 0.5 && (q & 1)))
        q++;
    if (!ts_buf_reserve(b, 32))
        return;
    char *o = put_scaled(b->data + b->len, q, precision, v < 0);
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

void ts_csv_fixed_row(ts_buf *b, const float *v, size_t n, int precision)
{
    static const double pow10d[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    if (precision < 0)
        precision = 0;
    if (precision > 9)
        precision = 9;
    /* ',' + sign + up to 10 integer digits + '.' + precision digits */
    size_t cell = (size_t)(14 + precision);
    if (!ts_buf_reserve(b, n * cell))
        return;
    double scale = pow10d[precision];
    char *o = b->data + b->len;
    for (size_t i = 0; i < n; i++) {
        double a = fabs((double)v[i]);
        if (!(a < 1e9)) { /* NaN, huge: the general path */
            b->len = (size_t)(o - b->data);
            ts_buf_putc(b, ',');
            ts_csv_fixed(b, v[i], precision);
            if (!ts_buf_reserve(b, (n - i) * cell))
                return;
            o = b->data + b->len;
            continue;
        }
        double prod = a * scale; /* exact: 24 + 30 bits fit in 53 */
        uint64_t q = (uint64_t)prod;  /* prod >= 0: truncation is floor */
        double frac = prod - (double)q;
        if (frac > 0.5 || (frac == 0.5 && (q & 1)))
            q++;
        *o++ = ',';
        o = put_scaled(o, q, precision, v[i] < 0);
    }
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}
