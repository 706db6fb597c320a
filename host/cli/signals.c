/*
 * signals.c - clean interruption.
 *
 * Output files are written to temporaries and renamed into place when
 * complete (host/output/outfile.c).  On SIGINT or SIGTERM the handler unlinks the
 * temporaries that are still open (unlink is async-signal-safe) and exits with
 * 128 + the signal number, so an interrupted run leaves no partial file.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_TRACKED 16
#define MAX_PATH 4096

static char tracked[MAX_TRACKED][MAX_PATH];
static volatile sig_atomic_t tracked_used[MAX_TRACKED];

/* Under AddressSanitizer the handler must not be instrumented: before the
 * noreturn _exit, ASan would call __asan_handle_no_return, which allocates,
 * and deadlocks when the signal interrupted a malloc holding ASan's lock. */
#if defined(__SANITIZE_ADDRESS__)
#define TS_SIGNAL_SAFE __attribute__((no_sanitize_address))
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TS_SIGNAL_SAFE __attribute__((no_sanitize_address))
#endif
#endif
#ifndef TS_SIGNAL_SAFE
#define TS_SIGNAL_SAFE
#endif

TS_SIGNAL_SAFE static void on_signal(int sig)
{
    for (int i = 0; i < MAX_TRACKED; i++)
        if (tracked_used[i])
            unlink(tracked[i]);
    static const char msg[] = "textsim: interrupted; partial outputs removed\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(128 + sig);
}

void cli_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void cli_signals_track(const char *temp_path)
{
    if (!temp_path || strlen(temp_path) >= MAX_PATH)
        return;
    for (int i = 0; i < MAX_TRACKED; i++)
        if (!tracked_used[i]) {
            strcpy(tracked[i], temp_path);
            tracked_used[i] = 1;
            return;
        }
}

void cli_signals_untrack(const char *temp_path)
{
    if (!temp_path)
        return;
    for (int i = 0; i < MAX_TRACKED; i++)
        if (tracked_used[i] && strcmp(tracked[i], temp_path) == 0)
            tracked_used[i] = 0;
}

