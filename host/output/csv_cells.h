/*
 * csv_cells.h - RFC 4180 cells and fixed-precision numbers (internal).
 *
 * Cells that need it (a comma, a double quote, CR or LF) are quoted with
 * doubled quotes.  With escape_formulas, a text cell starting with '=', '+',
 * '-', '@', TAB or CR gets a leading apostrophe so that a spreadsheet shows it
 * as text instead of running it (OWASP's advice for CSV injection).
 */
#ifndef TS_OUTPUT_CSV_CELLS_H
#define TS_OUTPUT_CSV_CELLS_H

#include <stddef.h>

#include "base/buf.h"

void ts_csv_text(ts_buf *b, const char *s, size_t n, int escape_formulas);
/* "SOURCE:INDEX" as one text cell. */
void ts_csv_id(ts_buf *b, const char *source, unsigned long index, int escape_formulas);
/* v with exactly `precision` decimals (0..9), the digits of printf's "%.*f"
 * except that "-0.000" is written as "0.000"; NaN as "nan". */
void ts_csv_fixed(ts_buf *b, double v, int precision);

/* ",v1,v2,...,vn" for a row of floats, same digits as ts_csv_fixed, about
 * ten times faster: one reservation per row, and since a float times 10^p
 * (p <= 9) is exact in double, rounding needs no error term. */
void ts_csv_fixed_row(ts_buf *b, const float *v, size_t n, int precision);

#endif
