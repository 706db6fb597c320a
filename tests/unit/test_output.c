/*
 * test_output.c - CSV cells, fixed-precision numbers and atomic output files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "output/csv_cells.h"
#include "output/outfile.h"
#include "output/writers.h"

static char *cell(const char *s, int escape)
{
    static char out[256];
    ts_buf b = {0};
    ts_csv_text(&b, s, strlen(s), escape);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    ts_buf_free(&b);
    return out;
}

static char *fixed(double v, int p)
{
    static char out[64];
    ts_buf b = {0};
    ts_csv_fixed(&b, v, p);
    snprintf(out, sizeof out, "%s", b.data);
    ts_buf_free(&b);
    return out;
}

static void test_csv_quoting(void **state)
{
    (void)state;
    assert_string_equal(cell("plain text", 1), "plain text");
    assert_string_equal(cell("a,b", 1), "\"a,b\"");
    assert_string_equal(cell("say \"hi\"", 1), "\"say \"\"hi\"\"\"");
    assert_string_equal(cell("two\nlines", 1), "\"two\nlines\"");
    assert_string_equal(cell("", 1), "");
}

static void test_csv_formula_guard(void **state)
{
    (void)state;
    assert_string_equal(cell("=1+2", 1), "'=1+2");
    assert_string_equal(cell("+33 1", 1), "'+33 1");
    assert_string_equal(cell("-x", 1), "'-x");
    assert_string_equal(cell("@SUM(A1)", 1), "'@SUM(A1)");
    assert_string_equal(cell("=HYPERLINK(\"x\",\"y\")", 1), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    assert_string_equal(cell("=1+2", 0), "=1+2");
    assert_string_equal(cell("a=b", 1), "a=b");
}

static void test_csv_id(void **state)
{
    (void)state;
    ts_buf b = {0};
    ts_csv_id(&b, "bbc", 12, 1);
    ts_buf_putc(&b, '|');
    ts_csv_id(&b, "a,b", 3, 1);
    ts_buf_putc(&b, '|');
    ts_csv_id(&b, "-x", 1, 1);
    assert_string_equal(b.data, "bbc:12|\"a,b:3\"|'-x:1");
    ts_buf_free(&b);
}

static void test_fixed(void **state)
{
    (void)state;
    assert_string_equal(fixed(0.0, 4), "0.0000");
    assert_string_equal(fixed(1.0, 4), "1.0000");
    assert_string_equal(fixed(0.123456, 4), "0.1235");
    assert_string_equal(fixed(0.99996, 4), "1.0000");
    assert_string_equal(fixed(0.5, 0), "0");      /* exact tie: to even, as printf */
    assert_string_equal(fixed(1.5, 0), "2");
    assert_string_equal(fixed(0.03125, 4), "0.0312");
    assert_string_equal(fixed(-0.00001, 4), "0.0000"); /* no "-0.0000" */
    assert_string_equal(fixed(-0.25, 2), "-0.25");
    assert_string_equal(fixed(0.000123456789, 9), "0.000123457");
    assert_string_equal(fixed(12345.5, 1), "12345.5");
    assert_string_equal(fixed(2e9, 2), "2000000000.00");
    /* Same digits as printf, including values next to a half. */
    srand(1);
    for (int i = 0; i < 200000; i++) {
        double v = i < 100000 ? (double)i * 0.0000137 : (double)rand() / RAND_MAX;
        int p = i % 10;
        char ref[64];
        snprintf(ref, sizeof ref, "%.*f", p, v);
        assert_string_equal(fixed(v, p), ref);
    }
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_fixed_row_matches_fixed(void **state)
{
    (void)state;
    float v[1000];
    srand(2);
    for (int i = 0; i < 1000; i++)
        v[i] = i < 10 ? (float[]){0.0f, 1.0f, 0.5f, 0.25f, 0.125f, 0.03125f, -0.25f, 1e-9f,
                                  3e9f, -0.0f}[i]
                      : (float)rand() / (float)RAND_MAX;
    for (int p = 0; p <= 9; p++) {
        ts_buf row = {0}, ref = {0};
        ts_csv_fixed_row(&row, v, 1000, p);
        for (int i = 0; i < 1000; i++) {
            ts_buf_putc(&ref, ',');
            ts_csv_fixed(&ref, v[i], p);
        }
        assert_int_equal(row.len, ref.len);
        assert_memory_equal(row.data, ref.data, ref.len);
        ts_buf_free(&row);
        ts_buf_free(&ref);
    }
}

static void test_outfile_publish_and_abort(void **state)
{
    (void)state;
    char dir[] = "/tmp/ts-outfile-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/out.csv", dir);

    ts_outfile *f;
    ts_diag d;
    assert_int_equal(ts_outfile_open(&f, path, &d), TS_OK);
    assert_int_equal(ts_outfile_write(f, "first\n", 6, &d), TS_OK);
    assert_null(slurp(path)); /* not visible before publish */
    assert_int_equal(count_entries(dir), 1); /* only the temporary */
    assert_int_equal(ts_outfile_publish(f, &d), TS_OK);
    assert_string_equal(slurp(path), "first\n");
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0644);

    /* An abandoned rewrite leaves the previous content and no temporary. */
    assert_int_equal(ts_outfile_open(&f, path, &d), TS_OK);
    assert_int_equal(ts_outfile_write(f, "second\n", 7, &d), TS_OK);
    ts_outfile_abort(f);
    assert_string_equal(slurp(path), "first\n");
    assert_int_equal(count_entries(dir), 1);
    ts_outfile_abort(NULL);

    unlink(path);
    rmdir(dir);
}

/* The tracker hears of a temporary before it exists, and of every name given
 * up: a signal handler that unlinks the tracked names misses none. */
static char tracked_name[512];
static int tracked_existed, tracked_calls, untracked_calls;

static void on_track(const char *temp)
{
    snprintf(tracked_name, sizeof tracked_name, "%s", temp);
    tracked_existed = access(temp, F_OK) == 0;
    tracked_calls++;
}

static void on_untrack(const char *temp)
{
    assert_string_equal(temp, tracked_name);
    untracked_calls++;
}

static void test_outfile_tracked(void **state)
{
    (void)state;
    char dir[] = "/tmp/ts-outfile-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    ts_outfile *f;
    ts_diag d;
    tracked_calls = untracked_calls = 0;
    assert_int_equal(ts_outfile_open_tracked(&f, path, on_track, on_untrack, &d), TS_OK);
    assert_int_equal(tracked_calls, 1);
    assert_false(tracked_existed);
    assert_string_equal(ts_outfile_temp_path(f), tracked_name);
    assert_int_equal(access(tracked_name, F_OK), 0);
    ts_outfile_abort(f);
    assert_int_not_equal(access(tracked_name, F_OK), 0);

    tracked_calls = untracked_calls = 0;
    assert_int_equal(ts_outfile_open_tracked(&f, "/nonexistent-dir/x.csv", on_track, on_untrack,
                                             &d), TS_ERR_IO);
    assert_int_equal(tracked_calls, 1);
    assert_int_equal(untracked_calls, 1);
    rmdir(dir);
}

static void test_outfile_errors(void **state)
{
    (void)state;
    ts_outfile *f;
    ts_diag d;
    assert_int_equal(ts_outfile_open(&f, "/nonexistent-dir/x.csv", &d), TS_ERR_IO);
    assert_null(f);
    assert_non_null(strstr(d.message, "/nonexistent-dir/x.csv"));
    assert_string_equal(d.path, "/nonexistent-dir/x.csv");

    assert_int_equal(ts_outfile_open(&f, "/tmp", &d), TS_ERR_IO);
    assert_non_null(strstr(d.message, "directory"));

    if (access("/dev/full", W_OK) == 0) {
        assert_int_equal(ts_outfile_open(&f, "/dev/full", &d), TS_OK);
        char big[4096] = {0};
        for (int i = 0; i < 1024; i++)
            if (ts_outfile_write(f, big, sizeof big, &d) != TS_OK)
                break;
        assert_int_equal(ts_outfile_publish(f, &d), TS_ERR_IO);
        assert_non_null(strstr(d.message, "No space left"));
        struct stat sb;
        assert_int_equal(stat("/dev/full", &sb), 0);
        assert_true(S_ISCHR(sb.st_mode)); /* still the device, not replaced */
    }
}

static char *slurp_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    ts_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ts_buf_append(&b, chunk, n);
    fclose(f);
    return b.data; /* NUL-terminated by ts_buf */
}

/* The CSV matrix: formatted on 1 or 5 threads, or as textsim-mpi's ranks
 * do (numbers elsewhere, ids by the writer), the file is the same bytes as
 * an independent cell-by-cell reference (ts_csv_id, ts_csv_fixed). */
static char *write_matrix(const ts_corpus *c, const ts_tile *t, int threads, int remote)
{
    char path[] = "/tmp/ts-matrix-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    ts_outfile *f;
    ts_diag d;
    ts_matrix_writer *w;
    ts_write_options o = {3, 1, threads};
    assert_int_equal(ts_outfile_open(&f, path, &d), TS_OK);
    assert_int_equal(ts_matrix_writer_open(&w, f, TS_MATRIX_CSV, c, &o, &d), TS_OK);
    if (remote) {
        ts_buf text = {0};
        uint32_t *lens = calloc(t->nrows, sizeof *lens);
        assert_non_null(lens);
        ts_matrix_csv_numbers(&text, lens, t, o.precision);
        assert_int_equal(ts_matrix_writer_text(w, t->row0, t->nrows, text.data, lens), TS_OK);
        ts_buf_free(&text);
        free(lens);
    } else {
        assert_int_equal(ts_matrix_writer_tile(w, t), TS_OK);
    }
    assert_int_equal(ts_matrix_writer_finish(w, &d), TS_OK);
    assert_int_equal(ts_outfile_publish(f, &d), TS_OK);
    char *content = slurp_all(path);
    unlink(path);
    return content;
}

static void test_matrix_csv_threads(void **state)
{
    (void)state;
    ts_corpus *c;
    ts_diag d;
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    /* source names that need quoting and the formula guard */
    const char *sources[] = {"plain", "=cmd", "a,\"b\""};
    char text[64];
    for (int i = 0; i < 300; i++) {
        snprintf(text, sizeof text, "statement %d\n", i);
        assert_int_equal(ts_corpus_add_text(c, sources[i % 3], text, strlen(text), NULL, &ro, &d),
                         TS_OK);
    }
    size_t n = ts_corpus_statement_count(c);
    assert_int_equal(n, 300);
    size_t ld = n + 7; /* rows of a wider buffer */
    float *v = malloc(n * ld * sizeof *v);
    assert_non_null(v);
    uint64_t x = 12345;
    for (size_t i = 0; i < n * ld; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        v[i] = (float)((double)(x >> 11) / 9007199254740992.0 * 2.0 - 0.5);
    }
    v[5] = -0.0f, v[6] = 0.0005f, v[7] = -0.0005f, v[8] = 1e10f, v[9] = NAN;
    ts_tile t = {0, n, 0, n, ld, v};

    ts_buf ref = {0};
    ts_buf_puts(&ref, "id");
    for (size_t i = 0; i < n; i++) {
        ts_statement s = ts_corpus_statement(c, i);
        ts_buf_putc(&ref, ',');
        ts_csv_id(&ref, ts_corpus_source_name(c, s.source), s.index, 1);
    }
    ts_buf_putc(&ref, '\n');
    for (size_t r = 0; r < n; r++) {
        ts_statement s = ts_corpus_statement(c, r);
        ts_csv_id(&ref, ts_corpus_source_name(c, s.source), s.index, 1);
        for (size_t j = 0; j < n; j++) {
            ts_buf_putc(&ref, ',');
            ts_csv_fixed(&ref, v[r * ld + j], 3);
        }
        ts_buf_putc(&ref, '\n');
    }
    for (int threads = 1; threads <= 5; threads += 4) {
        char *got = write_matrix(c, &t, threads, 0);
        assert_non_null(got);
        assert_string_equal(got, ref.data);
        free(got);
    }
    char *got = write_matrix(c, &t, 0, 1);
    assert_non_null(got);
    assert_string_equal(got, ref.data);
    free(got);
    ts_buf_free(&ref);
    free(v);
    ts_corpus_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_formula_guard),
        cmocka_unit_test(test_csv_id),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_fixed_row_matches_fixed),
        cmocka_unit_test(test_outfile_publish_and_abort),
        cmocka_unit_test(test_outfile_tracked),
        cmocka_unit_test(test_outfile_errors),
        cmocka_unit_test(test_matrix_csv_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
