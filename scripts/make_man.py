#!/usr/bin/env python3
"""make_man.py TEXTSIM VERSION OUT: write the man page textsim.1 from the help
texts of `textsim --help` and of `textsim COMMAND --help`, so that the man page
lists exactly the commands and options the binary has.

Help layout it reads: a usage line, paragraphs, "Section:" headings, option lines
"  --name ARG    description" (description continued on more-indented lines)."""
import re
import subprocess
import sys


def run(binary, *args):
    return subprocess.run([binary, *args], check=True, capture_output=True,
                          text=True).stdout


def esc(text):
    """Escape for roff: backslashes, hyphens, a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def commands_of(main_help):
    """The command names listed under "Commands:" in the main help."""
    names, inside = [], False
    for line in main_help.splitlines():
        if line.startswith("Commands:"):
            inside = True
        elif inside and re.match(r"^  (\w+)\s{2,}", line):
            names.append(line.split()[0])
        elif inside and line.strip() == "":
            break
    return names


def body(help_text):
    """roff for one help text, its usage line set apart."""
    out = []
    lines = help_text.rstrip("\n").splitlines()
    option = re.compile(r"^  (\S.*?)(\s{2,})(\S.*)$")
    for line in lines:
        if line.startswith("Usage: "):
            out += [".PP", "\\fB" + esc(line[len("Usage: "):]) + "\\fR"]
        elif not line.strip():
            out.append(".PP")
        elif re.match(r"^\S.*:$", line):
            out += [".PP", "\\fB" + esc(line) + "\\fR"]
        elif option.match(line):
            m = option.match(line)
            out += [".TP", "\\fB" + esc(m.group(1)) + "\\fR", esc(m.group(3))]
        elif line.startswith("  "):
            out.append(esc(line.strip()))
        else:
            out.append(esc(line))
    return out


def main():
    binary, version, path = sys.argv[1:4]
    main_help = run(binary, "--help")
    page = [
        '.TH TEXTSIM 1 "" "textsim %s" "User Commands"' % version,
        ".SH NAME",
        "textsim \\- compare several sources that report the same story, statement by "
        "statement",
        ".SH SYNOPSIS",
        "\\fBtextsim\\fR \\fICOMMAND\\fR [\\fIoptions\\fR]",
        ".SH DESCRIPTION",
    ]
    page += body(main_help)
    page.append(".SH COMMANDS")
    for name in commands_of(main_help):
        page += [".SS " + name] + body(run(binary, name, "--help"))
    page += [
        ".SH FILES",
        "The formats of the files textsim reads and writes are described in README.md.",
        ".SH SEE ALSO",
        "\\fBtextsim\\-bench\\fR (the benchmark), \\fBtextsim\\-mpi\\fR (the commands over "
        "MPI ranks), the header textsim.h (the C library), pkg\\-config module textsim.",
    ]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(page) + "\n")


if __name__ == "__main__":
    main()
