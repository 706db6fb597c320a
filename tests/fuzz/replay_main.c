/*
 * replay_main.c - runs a fuzz target over saved inputs, without libFuzzer.
 *
 * Linked with one target's LLVMFuzzerTestOneInput into replay_<target>, so
 * that the seed corpus and every crash input ever found are re-run by an
 * ordinary build (gcc, `make test`).  Usage: replay_<target> DIR|FILE...; each
 * directory is walked recursively, its files are run in sorted path order
 * (hidden files such as .gitkeep are skipped), each from an exact-size heap
 * copy so that a sanitizer build sees reads past the end.  A failed invariant
 * aborts inside the target; otherwise the driver prints how many inputs ran
 * and exits 0, or exits 1 when an argument cannot be read or nothing ran.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static void push(path_list *l, char *path)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v) {
            fprintf(stderr, "replay: out of memory\n");
            exit(1);
        }
    }
    l->v[l->n++] = path;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p) {
        fprintf(stderr, "replay: out of memory\n");
        exit(1);
    }
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Regular files under path (or path itself), recursively. */
static int collect(const char *path, path_list *out)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 0;
    }
    if (S_ISREG(sb.st_mode)) {
        char *copy = strdup(path);
        if (!copy) {
            fprintf(stderr, "replay: out of memory\n");
            exit(1);
        }
        push(out, copy);
        return 1;
    }
    if (!S_ISDIR(sb.st_mode))
        return 1;
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 0;
    }
    int ok = 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *child = join(path, e->d_name);
        ok &= collect(child, out);
        free(child);
    }
    closedir(d);
    return ok;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        return 0;
    }
    /* Exact size: a read one byte past the input is a sanitizer report. */
    size_t n = (size_t)sb.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    int ok = buf && fread(buf, 1, n, f) == n && !ferror(f);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
        free(buf);
        return 0;
    }
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
        return 2;
    }
    size_t ran = 0;
    int ok = 1;
    for (int i = 1; i < argc; i++) {
        path_list files = {NULL, 0, 0};
        ok &= collect(argv[i], &files);
        if (files.n > 1)
            qsort(files.v, files.n, sizeof *files.v, compare_paths);
        for (size_t k = 0; k < files.n; k++) {
            if (getenv("REPLAY_VERBOSE"))
                fprintf(stderr, "replay: %s\n", files.v[k]);
            if (run_file(files.v[k]))
                ran++;
            else
                ok = 0;
            free(files.v[k]);
        }
        free(files.v);
    }
    printf("replay: ran %zu inputs\n", ran);
    if (ran == 0) {
        fprintf(stderr, "replay: no inputs found\n");
        return 1;
    }
    return ok ? 0 : 1;
}
