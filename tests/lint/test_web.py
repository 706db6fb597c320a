#!/usr/bin/env python3
"""The report page's web files (host/output/web) are valid code.

report.js: parsed by Node (`node --check`), in strict mode, each of its
scripts an immediately invoked function (the page adds nothing to the
browser's globals).  report.css: parsed by tinycss2 (CSS Syntax Level 3)
with no parse error in any rule or declaration.  The headless-Chromium test
(tests/cli/test_report.sh) runs the script on real pages.
Run: /usr/bin/python3 tests/lint/test_web.py
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import tinycss2

ROOT = os.environ.get("TS_SOURCE_DIR",
                      os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
WEB = os.path.join(ROOT, "host", "output", "web")


def check_js(path):
    node = shutil.which("node") or shutil.which("nodejs")
    if not node:
        return ["node not found (scripts/bootstrap installs nodejs)"]
    run = subprocess.run([node, "--check", path], capture_output=True, text=True)
    if run.returncode != 0:
        return [f"{path}: node --check: {run.stderr.strip()}"]
    text = open(path, encoding="utf-8").read()
    problems = []
    starts = [m.start() for m in re.finditer(r"^\(function \(\) \{\n  \"use strict\";$", text, re.M)]
    ends = re.findall(r"^\}\)\(\);$", text, re.M)
    if not starts or starts[0] != 0 or len(starts) != len(ends) or not text.endswith("})();\n"):
        problems.append(f"{path}: each script must be one strict IIFE: "
                        "(function () {\\n  \"use strict\"; ... })();")
    return problems


def css_errors(nodes, where):
    out = []
    for node in nodes:
        if node.type == "error":
            out.append(f"{where}:{node.source_line}:{node.source_column}: {node.message}")
        elif node.type in ("qualified-rule", "at-rule") and node.content is not None:
            inner = node.content
            if node.type == "at-rule" and node.lower_at_keyword == "media":
                out += css_errors(tinycss2.parse_rule_list(inner, skip_comments=True,
                                                           skip_whitespace=True), where)
                continue
            for decl in tinycss2.parse_declaration_list(inner, skip_comments=True,
                                                        skip_whitespace=True):
                if decl.type == "error":
                    out.append(f"{where}:{decl.source_line}:{decl.source_column}: {decl.message}")
    return out


def check_css(path):
    text = open(path, encoding="utf-8").read()
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    problems = css_errors(rules, path)
    if not any(r.type == "qualified-rule" for r in rules):
        problems.append(f"{path}: no rules")
    return problems


def self_test():
    """Both checks fail on broken files."""
    with tempfile.TemporaryDirectory() as tmp:
        js, css = os.path.join(tmp, "bad.js"), os.path.join(tmp, "bad.css")
        open(js, "w").write('(function () {\n  "use strict";\n  var x = ;\n})();\n')
        open(css, "w").write("a{color:red}\nb{color red}\n")
        return bool(check_js(js)) and bool(check_css(css))


def main():
    if not self_test():
        print("the web checks passed broken files: fix the checks")
        return 1
    problems = check_js(os.path.join(WEB, "report.js")) + check_css(os.path.join(WEB, "report.css"))
    for p in problems:
        print(p)
    print(f"report.js and report.css: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
