/*
 * main.c - the textsim command-line tool: dispatch to a command.
 */

#include "cli.h"

static const char usage[] =
    "Usage: textsim COMMAND [options]\n"
    "\n"
    "Compare several sources that report the same story, statement by statement.\n"
    "\n"
    "Commands:\n"
    "  align       align statements across sources: tables and an HTML report (the main job)\n"
    "  matrix      all-pairs cosine similarity matrix (CSV or .npy) and statements.csv\n"
    "  pairs       each statement's most similar statements (top-k, threshold) as CSV\n"
    "  tfidf       TF-IDF weights as CSV (statement,term,weight)\n"
    "  index       build, add to or describe a saved TF-IDF index (fit once, search many)\n"
    "  search      each query statement's most similar statements of an index, as CSV\n"
    "  statements  statements.csv: how the sources were split\n"
    "  devices     list OpenCL platforms and devices\n"
    "\n"
    "Run 'textsim COMMAND --help' for a command's options.\n"
    "  -h, --help      this help\n"
    "  -V, --version   version\n"
    "\n"
    "Exit codes: 0 success, 1 internal error, 2 usage, 3 input, 4 device, 5 output,\n"
    "130/143 interrupted.\n";

static const cli_command commands[] = {
    {"align", cmd_align},
    {"matrix", cmd_matrix},
    {"pairs", cmd_pairs},
    {"tfidf", cmd_tfidf},
    {"index", cmd_index},
    {"search", cmd_search},
    {"statements", cmd_statements},
    {"devices", cmd_devices},
};

int main(int argc, char **argv)
{
    return cli_dispatch(argc, argv, usage, commands, sizeof commands / sizeof commands[0]);
}
