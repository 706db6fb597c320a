/*
 * outfile.c - atomic output files.
 *
 * open() creates "DIR/.NAME.tmp-XXXXXX" (O_EXCL, a random suffix) next to the
 * destination (same file system, so rename() is atomic), and tells a tracker
 * the name before the file exists, so that a signal handler that removes the
 * tracked temporaries never misses one (an unlink of a name not yet created
 * is harmless); writes go through a large stdio
 * buffer, and finish() checks every error (including fclose, where a full disk
 * often shows first) before fsync and rename.  Any failure removes the
 * temporary and leaves the destination untouched.  A destination that exists
 * and is not a regular file (/dev/null, /dev/full, a FIFO) is written in place:
 * renaming over a device node would replace it.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/diag.h"

#define TS_OUTFILE_BUFFER (1u << 20)

struct ts_outfile {
    FILE *fp;
    char *path;      /* destination */
    char *temp;      /* temporary; NULL when writing in place */
    int owns_fp;     /* 0 for stdout */
    int finished;    /* flushed, synced and closed without error */
    char *buffer;    /* stdio buffer */
    int error;       /* errno of the first failure, 0 if none */
};

static ts_status io_error(ts_diag *diag, const char *path, int err, const char *what)
{
    return ts_diag_set(diag, TS_ERR_IO, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                       "%s: cannot %s: %s; check that the directory exists, is writable and "
                       "that the disk has room",
                       path, what, strerror(err));
}

/* Replace the trailing XXXXXX of name with letters and digits that differ
 * between calls and processes (O_EXCL settles collisions). */
static void randomize(char *name, unsigned attempt)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
                 ((uint64_t)getpid() << 16) ^ ((uint64_t)++counter << 48) ^ attempt;
    char *tail = name + strlen(name) - 6;
    for (int i = 0; i < 6; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u; /* one LCG step per digit */
        tail[i] = digits[(x >> 33) % (sizeof digits - 1)];
    }
}

static char *temp_name_for(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dir_len;
    size_t n = dir_len + strlen(base) + sizeof "/.tmp-XXXXXX" + 1;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%.*s.%s.tmp-XXXXXX", (int)dir_len, path, base);
    return t;
}

ts_status ts_outfile_open(ts_outfile **out, const char *path, ts_diag *diag)
{
    return ts_outfile_open_tracked(out, path, NULL, NULL, diag);
}

ts_status ts_outfile_open_tracked(ts_outfile **out, const char *path, ts_temp_fn track,
                                  ts_temp_fn untrack, ts_diag *diag)
{
    *out = NULL;
    ts_outfile *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(path))) {
        free(f);
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory opening %s", path);
    }
    if (strcmp(path, "-") == 0) {
        f->fp = stdout;
        *out = f;
        return TS_OK;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        if (S_ISDIR(sb.st_mode)) {
            ts_outfile_abort(f);
            return ts_diag_set(diag, TS_ERR_IO, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                               "%s: is a directory; give the path of a file to write, such as "
                               "%s%sout.csv",
                               path, path, path[0] && path[strlen(path) - 1] == '/' ? "" : "/");
        }
        f->fp = fopen(path, "wb");
        if (!f->fp) {
            int err = errno;
            ts_outfile_abort(f);
            return io_error(diag, path, err, "open for writing");
        }
        f->owns_fp = 1;
        *out = f;
        return TS_OK;
    }
    if (!(f->temp = temp_name_for(path)) || !(f->buffer = malloc(TS_OUTFILE_BUFFER))) {
        ts_outfile_abort(f);
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory opening %s", path);
    }
    int fd = -1, err = EEXIST;
    for (unsigned attempt = 0; attempt < 100 && fd < 0 && err == EEXIST; attempt++) {
        randomize(f->temp, attempt);
        if (track)
            track(f->temp);
        fd = open(f->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        err = fd < 0 ? errno : 0;
        if (fd < 0 && untrack)
            untrack(f->temp);
    }
    if (fd < 0) {
        free(f->temp);
        f->temp = NULL;
        ts_outfile_abort(f);
        return io_error(diag, path, err, "create a file");
    }
    fchmod(fd, 0644); /* whatever the umask: outputs are meant to be shared */
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        err = errno;
        close(fd);
        unlink(f->temp);
        if (untrack)
            untrack(f->temp);
        ts_outfile_abort(f);
        return io_error(diag, path, err, "open for writing");
    }
    f->owns_fp = 1;
    setvbuf(f->fp, f->buffer, _IOFBF, TS_OUTFILE_BUFFER);
    *out = f;
    return TS_OK;
}

ts_status ts_outfile_write(ts_outfile *f, const void *data, size_t size, ts_diag *diag)
{
    if (f->error)
        return io_error(diag, f->path, f->error, "write");
    if (size && fwrite(data, 1, size, f->fp) != size) {
        f->error = errno ? errno : EIO;
        return io_error(diag, f->path, f->error, "write");
    }
    return TS_OK;
}

FILE *ts_outfile_stream(ts_outfile *f) { return f->fp; }

const char *ts_outfile_temp_path(const ts_outfile *f) { return f ? f->temp : NULL; }

static void outfile_release(ts_outfile *f)
{
    free(f->path);
    free(f->temp);
    free(f->buffer);
    free(f);
}

ts_status ts_outfile_finish(ts_outfile *f, ts_diag *diag)
{
    if (f->finished)
        return TS_OK;
    int err = f->error;
    if (!err && (fflush(f->fp) != 0 || ferror(f->fp)))
        err = errno ? errno : EIO;
    if (!err && f->temp && fsync(fileno(f->fp)) != 0 && errno != EINVAL && errno != EROFS)
        err = errno;
    if (f->owns_fp) {
        if (fclose(f->fp) != 0 && !err)
            err = errno ? errno : EIO;
        f->fp = NULL;
    }
    f->error = err;
    if (err)
        return io_error(diag, f->owns_fp || f->temp ? f->path : "<stdout>", err, "write");
    f->finished = 1;
    return TS_OK;
}

ts_status ts_outfile_publish(ts_outfile *f, ts_diag *diag)
{
    ts_status st = f->finished ? TS_OK : ts_outfile_finish(f, diag);
    if (st == TS_OK && f->temp && rename(f->temp, f->path) != 0)
        st = io_error(diag, f->path, errno, "rename the finished file into place");
    if (st != TS_OK) {
        ts_outfile_abort(f);
        return st;
    }
    outfile_release(f);
    return TS_OK;
}

void ts_outfile_abort(ts_outfile *f)
{
    if (!f)
        return;
    if (f->fp && f->owns_fp)
        fclose(f->fp);
    if (f->temp)
        unlink(f->temp);
    outfile_release(f);
}
