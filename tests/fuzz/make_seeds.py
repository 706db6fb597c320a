#!/usr/bin/env python3
"""Write the hand-made seed inputs of the fuzz targets (tests/fuzz/corpus/).

Run from anywhere: python3 tests/fuzz/make_seeds.py.  It (re)writes the files
named seed_*; the other files in corpus/TARGET/ are inputs that libFuzzer
found and `-merge=1` kept (docs/FUZZING.md), named by their SHA-1.
"""
import os
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLES = ROOT / "examples" / "moscow-talks-2025"

# ---------------------------------------------------------------- text inputs
TEXT = {
    "empty": b"",
    "ascii": b"The talks lasted five hours. No agreement was reached! Will they meet again?",
    "abbreviations": b"Mr. Smith met the U.S. envoy at 5 p.m. on Tuesday. Prof. Jones, "
                     b"e.g. the adviser, said no. One app. One membership. The U.S.A. agreed.",
    "quotes": "He said \u201cStop!\u201d and left\u2026 Then? \"Yes.\" (Maybe.) 'No!'"
              .encode(),
    "crlf": b"First line.\r\nSecond line\r\n\r\nThird line after a blank.\r\n",
    "cr_only": b"Old Mac line one.\rLine two.\r\rLine three",
    "lf_mixed": b"a\n\nb\r\n\r\nc\r\rd\n \n\t\ne",
    "bom": b"\xef\xbb\xbfA file with a BOM. Second sentence.",
    "bom_only": b"\xef\xbb\xbf",
    "bom_twice": b"\xef\xbb\xbf\xef\xbb\xbfTwo BOMs. The second is text.",
    "nul_middle": b"Before the NUL.\x00After the NUL. End.",
    "nul_only": b"\x00",
    "nul_start": b"\x00\x00Text after NULs.",
    "bad_continuation": b"Lone continuation \x80 byte. Next.",
    "bad_truncated": b"Truncated euro \xe2\x82 sign. Next sentence.",
    "bad_truncated_end": b"Ends inside a character \xf0\x9f\x98",
    "bad_overlong": b"Overlong slash \xc0\xaf and \xe0\x80\xaf here.",
    "bad_surrogate": b"Surrogate \xed\xa0\x80 and \xed\xbf\xbf bytes.",
    "bad_high": b"Above U+10FFFF \xf4\x90\x80\x80 and \xf5\x80\x80\x80 and \xff\xfe.",
    "bad_latin1": "Caf\u00e9 na\u00efve r\u00e9sum\u00e9. Second.".encode("latin-1"),
    "bad_second_line": b"Good first line.\nBad \xc3 second line.\nThird.",
    "emoji": "Emoji \U0001F600 and flags \U0001F1FA\U0001F1E6. Family \U0001F468\u200D"
             "\U0001F469\u200D\U0001F467. Done \u2705.".encode(),
    "combining": "Cafe\u0301 na\u0308ive. A\u030a\u0301 stacked marks. \u0301Leading mark."
                 .encode(),
    "case_special": "\u0130stanbul I\u0307 \u00df STRASSE \u1e9e \u03a3\u039f\u03a6\u039f\u03a3 "
                    "\u01c5 \ufb03 \u0149. \u0391\u0398\u0397\u039d\u0391.".encode(),
    "cjk": "\u4eca\u5929\u5929\u6c14\u5f88\u597d\u3002\u6211\u4eec\u53bb\u516c\u56ed"
           "\u5427\uff01\u4f60\u597d\uff1f".encode(),
    "japanese": "\u6771\u4eac\u3067\u4f1a\u8ac7\u3057\u305f\u3002\u30d7\u30fc\u30c1\u30f3"
                "\u6c0f\u3068\u3002".encode(),
    "thai": "\u0e01\u0e32\u0e23\u0e1b\u0e23\u0e30\u0e0a\u0e38\u0e21\u0e22\u0e32\u0e27"
            "\u0e19\u0e32\u0e19 \u0e2b\u0e49\u0e32\u0e0a\u0e31\u0e48\u0e27\u0e42\u0e21"
            "\u0e07".encode(),
    "arabic_hebrew": "\u0627\u0644\u0645\u062d\u0627\u062f\u062b\u0627\u062a \u0627\u0633"
                     "\u062a\u0645\u0631\u062a. \u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc"
                     "\u05dd. \u200fRTL mark.".encode(),
    "cyrillic": "\u041f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b \u0434\u043b"
                "\u0438\u043b\u0438\u0441\u044c \u043f\u044f\u0442\u044c \u0447\u0430\u0441"
                "\u043e\u0432. \u0421\u043e\u0433\u043b\u0430\u0448\u0435\u043d\u0438\u044f "
                "\u043d\u0435\u0442.".encode(),
    "unicode_spaces": "\u00a0Leading NBSP.\u2003Em space.\u3000Ideographic.\u2028Line sep."
                      "\u2029Para sep.\u0085NEL.\u000bVT.\u000cFF.\u200bZWSP.\ufeffZWNBSP."
                      "\u180eMVS.\u00a0".encode(),
    "only_spaces": " \t\r\n\u00a0\u3000\u2028\ufeff \n".encode(),
    "separators": b"a\x1cb\x1dc\x1ed\x1fe f\tg",
    "long_word": b"x" * 3000 + b". y.",
    "many_dots": b"..." + b". " * 200 + b"?!?!" * 50,
    "digits_words": b"It was 5 p.m. The 3.5% rise in 2025. Version 1.2.3 shipped. U.S.-led.",
    "underscores": b"snake_case_name __init__ _ a_b 9_9 __ x_",
    "ellipsis_abbrev": b"He met Gen. Smith etc. and Lt. Col. Brown. Then left.",
    "control": b"Bell \x07 escape \x1b[31m red \x1b[0m. Del \x7f.",
    "private_use": "Private \ue000\U000f0000 and unassigned \u0378 \U0001ffff. Noncharacter "
                   "\ufffe\uffff. Replacement \ufffd.".encode(),
    "max_codepoint": "Max \U0010ffff char. Done.".encode(),
    "html": b"<p>Tags &amp; entities&nbsp;here.</p><br/>Next &#8220;quoted&#8221;.",
}

# ------------------------------------------------------------------------ JSONL
JSONL = {
    "empty": b"",
    "basic": b'{"source": "a", "text": "One. Two."}\n{"source": "b", "text": "Three."}\n',
    "same_source": b'{"source":"a","text":"First."}\n{"source":"b","text":"x"}\n'
                   b'{"source":"a","text":"Second record of a."}\n',
    "escapes": b'{"source": "s\\u00e9", "text": "Tab\\there.\\nNew line. Quote \\" and '
               b'backslash \\\\. Slash \\/."}\n',
    "surrogate_pair": b'{"source": "e", "text": "Emoji \\ud83d\\ude00 here."}\n',
    "lone_surrogate": b'{"source": "e", "text": "Lone \\ud800 surrogate."}\n',
    "lone_low_surrogate": b'{"source": "e", "text": "Lone \\udc00 low."}\n',
    "nul_escape": b'{"source": "n", "text": "NUL \\u0000 inside."}\n',
    "nul_in_source": b'{"source": "a\\u0000b", "text": "x"}\n',
    "raw_nul": b'{"source": "n", "text": "raw \x00 nul"}\n',
    "raw_invalid": b'{"source": "n", "text": "bad \xc3 byte"}\n',
    "missing_text": b'{"source": "a"}\n',
    "missing_source": b'{"text": "a"}\n',
    "not_string": b'{"source": 5, "text": ["a"]}\n',
    "text_null": b'{"source": "a", "text": null}\n',
    "empty_source": b'{"source": "", "text": "a"}\n',
    "array": b'["source", "text"]\n',
    "number": b'42\n',
    "string": b'"just a string"\n',
    "trailing": b'{"source": "a", "text": "b"} extra\n',
    "two_objects": b'{"source": "a", "text": "b"}{"source": "c", "text": "d"}\n',
    "truncated": b'{"source": "a", "text": "unterminated\n',
    "blank_lines": b'\n   \n{"source": "a", "text": "after blanks"}\n\t\n\n',
    "crlf": b'{"source": "a", "text": "one"}\r\n{"source": "b", "text": "two"}\r\n',
    "bom": b'\xef\xbb\xbf{"source": "a", "text": "BOM first."}\n',
    "nested": b'{"source": "a", "text": "t", "meta": {"x": [1, 2, {"y": null}]}}\n',
    "duplicate_key": b'{"source": "a", "source": "b", "text": "t"}\n',
    "comment": b'// comment\n{"source": "a", "text": "t"}\n',
    "single_quotes": b"{'source': 'a', 'text': 't'}\n",
    "trailing_comma": b'{"source": "a", "text": "t",}\n',
    "bad_escape": b'{"source": "a", "text": "bad \\x41 escape"}\n',
    "short_unicode": b'{"source": "a", "text": "\\u12"}\n',
    "newline_in_text": b'{"source": "a", "text": "Line one.\\nLine two.\\r\\nLine three."}\n',
    "spaces_text": b'{"source": "a", "text": "   \\u00a0\\u2028  "}\n',
    "unicode_source": '{"source": "\u0418\u0422\u0410\u0420-\u0422\u0410\u0421\u0421", '
                      '"text": "\u041f\u0443\u0442\u0438\u043d \u0432\u0441\u0442\u0440\u0435'
                      '\u0442\u0438\u043b\u0441\u044f."}\n'.encode(),
    "deep": b'{"source": "a", "text": "t", "x": ' + b'[' * 40 + b']' * 40 + b'}\n',
    "big_numbers": b'{"source": "a", "text": "t", "n": 1e999, "m": -0.0, "k": 123456789012345678901234567890}\n',
    "no_final_newline": b'{"source": "a", "text": "no newline at the end"}',
    "cr_inside": b'{"source": "a", "text": "x"}\r{"source": "b", "text": "y"}\n',
}

# -------------------------------------------------------------------------- TSV
TSV = {
    "empty": b"",
    "basic": b"a\tFirst statement.\nb\tSecond statement.\na\tThird, back to a.\n",
    "no_tab": b"a line without a tab\n",
    "no_tab_later": b"a\tfine\nbroken line\nc\tnever read\n",
    "empty_name": b"\tstatement without a name\n",
    "blank_name": " \u00a0\tstatement after a blank name\n".encode(),
    "empty_statement": b"a\t\nb\t   \nc\tkept\n",
    "many_tabs": b"a\tone\ttwo\tthree\n",
    "crlf": b"a\tone\r\nb\ttwo\r\n\r\n",
    "cr_middle": b"a\tone\rtwo\n",
    "bom": b"\xef\xbb\xbfa\tafter a BOM\n",
    "blank_lines": b"\n \t \n\r\na\tx\n\n",
    "spaces_around": " a b \t  padded statement \u3000\n".encode(),
    "tab_only": b"\t\n",
    "nul": b"a\tNUL\x00here\n",
    "invalid": b"a\tbad \xe2\x82 byte\nb\tgood\n",
    "unicode_names": "\u0438\u0442\u0430\u0440\u0442\u0430\u0441\u0441\t\u0422\u0435\u043a"
                     "\u0441\u0442.\n\u65b0\u534e\u793e\t\u4e2d\u6587\u3002\n".encode(),
    "no_final_newline": b"a\tlast line without newline",
    "same_name_spaces": b"a\tone\n a \ttwo\na \tthree\n",
    "bom_mid": b"a\tx\n\xef\xbb\xbfb\ty\n",
    "ffef_name": "\ufeff\tname is only a BOM\n".encode(),
}

# ---------------------------------------------------------------------- numbers
NUMBERS = {
    "percent": b"Support fell to 19% in May.\tSupport fell to 20 percent in May.",
    "percent_same": b"19%\t19 per cent",
    "pc_pp": b"up 19pc and 2 percentage points\tup 19 pc and 2pp",
    "grouping": b"1,200 troops\t1200 troops",
    "grouping_bad": b"1,20 and 1,2000 and 12,345,678 and 1,234.5\t1234.5",
    "billion": b"$1.2bn in aid\t$1.2 billion dollars in aid",
    "currency": "\u00a35m \u20ac3 \u00a5100 US$5 A$5 C$7 HK$8 NZ$9 USD 5 EUR 6 GBP 7\t"
                "5 dollars 6 euros 7 yen 8 yuan 9 rupees".encode(),
    "scales": b"5k 3bn 2.5 million 4m $4m 7 trillion 1.5 thousand\t5000",
    "words": b"twenty-one people and one hundred and five troops\t21 people, 105 troops",
    "words_big": b"two million three hundred thousand\tthree hundred thousand two million",
    "dozen": b"a dozen eggs, a hundred days, no one came, one of the\t12 eggs",
    "qualifiers": b"over 19 percent, about 5 hours, nearly 100 people, at least 3 days, "
                  b"up to 7 weeks, more than 2,000 troops\t20 percent, 6 hours",
    "qualifiers_more": b"in excess of 5%, upwards of 10 km, no fewer than 4 deaths, "
                       b"as many as 9 children, close to 3 years, an estimated 40 people",
    "hyphen_units": b"a five-hour meeting, the four-year-old conflict, a 10-day truce\t"
                    b"a 5 hour meeting",
    "names": b"COVID-19 G7 A380 5G 4x4 1990s 24/7 F-16 MH17 B-52\t19",
    "years": b"In 2025 the war, in 1999, about 2000\ta four-year war since 2022",
    "dates": b"March 5, 5 March, the 5th of March, Dec 31\tMarch 6",
    "clock": b"10:30 pm, 5pm, 5 p.m., 12:00 am, 23:59\t22:30",
    "ordinals": b"the 5th, 1st, 2nd, 3rd, 21st\tthe 6th",
    "negative": "-4 \u22124 3.5 .5 -0.5 - 4 x-4\t-4".encode(),
    "ranges": "20-25 percent, 20 to 25 percent, 20 - 25%, 5\u20136 billion\t20%".encode(),
    "versions": b"3.5.2 192.168.0.1 1..2 1.,2 .5.\t3.5",
    "units": "5km 19pc 5 kg 3 tonnes 10 miles 30\u00b0C 86\u00b0F 90\u00b0 7 m 3 secs"
             .encode(),
    "huge": b"999999999999999999 9999999999999999999 123456789012345678901234567890 "
            b"0.000000000000000000000000000000000000000000001 999,999,999,999.99 trillion",
    "many_zeros": b"0" * 100 + b" 0.0 00.00 000,000\t0",
    "unitless": b"19\t19 percent",
    "unitless_diff": b"19 people and 7\t20 people and 8",
    "approximate": b"about 19 percent\t20 percent",
    "approximate_b": b"20 percent\tabout 19 percent",
    "unitless_cross": b"19 percent and 7\t19 and 8",
    "unitless_cross_a": b"19 and 8\t19 percent and 7",
    "no_tab_halves": b"Talks lasted five hours and 19% agreed -- talks lasted 6 hours and 19%",
    "only_tab": b"\t",
    "invalid_bytes": b"19\xff% and \xe2\x82 20 \xc0\xaf percent\t\x0019%",
    "unicode_digits": "\u0661\u0662 \uff11\uff12 \u2460 \u00bd 12\u00a0000\t12".encode(),
    "punctuation": b"$ $$5 %% 5%% --5 5- 5-- 5.- (5) [5%] {5}\t5",
    "words_case": b"TWENTY-ONE Twenty One tWeNtY\t21",
    "long_words": b"one two three four five six seven eight nine ten eleven twelve "
                  b"thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty "
                  b"thirty forty fifty sixty seventy eighty ninety hundred thousand "
                  b"million billion trillion",
}


def examples():
    """A few lines from each example source."""
    out = {}
    for path in sorted(EXAMPLES.glob("*.txt")):
        data = path.read_bytes()
        lines = data.split(b"\n")
        out[path.stem[:3]] = b"\n".join(lines[:6])[:2000]
    return out


# CSV: a header, then records (the reader_csv target reads column 1).
CSV = {
    "basic": b"text,source\nThe envoy met the president. They talked.,wire\nShort one.,blog\n",
    "quoted": b'text\n"A field, with a comma."\n"He said ""no"" twice."\n"Two\nlines."\n',
    "crlf_bom": b'\xef\xbb\xbftext,n\r\n"First.",1\r\nSecond.,2\r\n\r\n',
    "stray_quote": b'text\nab"c\n',
    "unterminated": b'text\n"never closed\n',
    "header_only": b"text\n",
    "ragged": b"a,b,c\n1\n2,3,4,5\n",
    "empty_fields": b'text\n,\n""\n"  "\n',
}

# HTML pages and fragments (the reader_html target).
HTML = {
    "entities": b"<p>caf&eacute; &amp; cr&#232;me &#x2014; &lt;tag&gt; &copy 2024 &bogus; &#0; &#xD800;</p>",
    "implied": b"text before<p>one<p>two<li>three<td>four",
    "hidden": b"<body><nav>menu</nav><div hidden>x</div><p style='DISPLAY : None'>y</p>"
              b"<p aria-hidden=true>z</p><header>banner</header><main><header>Head</header>"
              b"<p>Kept.</p><footer>Byline.</footer></main><footer>site</footer></body>",
    "script": b"<script>document.write('<p>no</p>')</script><style>p{}</style><p>yes</p>"
              b"<textarea>form</textarea><select><option>opt</option></select>",
    "pre_crlf": b"<pre>keep\r\n   this   </pre>\r\n<p>and\r\n  this</p>",
    "bom_doctype": b"\xef\xbb\xbf<!DOCTYPE html><html><body><p>BOM page.</p></body></html>",
    "comments_cdata": b"<!-- c --><p>a<!-- b -->c <![CDATA[d]]> e</p><?pi x?>",
    "deep": b"<div>" * 300 + b"deep" + b"</div>" * 3,
    "unclosed": b"<p>open <b>bold <i>italic</p> after</b> end",
    "long_text": b"<p>" + b"word &amp; " * 400 + b"</p>",
    "invalid_utf8": b"<p>caf\xe9</p>",
    "amp_without_semicolon": b"<p>word &amp; word &amp &amp; word</p>",
    "bare_amp_before_entity": b"<p>word &a&amp; word</p>",
}

# Inputs that are not text, by their first bytes: every reader refuses them
# (host/text/read.c), and the readers' targets check that (fuzz_refused_as_binary).
BINARY = {
    "binary_pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "binary_zip": b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
    "binary_gzip": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
    "binary_rtf": b"{\\rtf1\\ansi Hello}",
    "binary_tar": b"name.txt".ljust(257, b"\x00") + b"ustar\x0000" + b"\x00" * 64,
}


def write(target, name, data):
    d = HERE / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed_{name}").write_bytes(data)


def main():
    ex = examples()
    for target in ("reader_text", "segment", "tokenize"):
        for name, data in TEXT.items():
            write(target, name, data)
        for name, data in ex.items():
            write(target, "moscow_" + name, data)
    # 40 sentences in 25 languages: accents precomposed and decomposed,
    # compatibility characters, marks (the strip_accents configuration)
    write("tokenize", "accents", (ROOT / "tests" / "data" / "accents" / "accents.tsv").read_bytes())
    for name, data in JSONL.items():
        write("reader_jsonl", name, data)
    for name, data in ex.items():
        lines = [l for l in data.decode().split("\n") if l.strip()]
        recs = "".join('{"source": "%s", "text": %s}\n' % (name, _json(l)) for l in lines[:3])
        write("reader_jsonl", "moscow_" + name, recs.encode())
    for name, data in TSV.items():
        write("reader_tsv", name, data)
    for name, data in ex.items():
        lines = [l for l in data.decode().split("\n") if l.strip()]
        write("reader_tsv", "moscow_" + name,
              "".join("%s\t%s\n" % (name, l) for l in lines[:4]).encode())
    for name, data in CSV.items():
        write("reader_csv", name, data)
    for name, data in HTML.items():
        write("reader_html", name, data)
    write("reader_html", "article", (ROOT / "tests" / "data" / "html" / "article.html").read_bytes())
    for target in ("reader_text", "reader_jsonl", "reader_tsv", "reader_csv", "reader_html"):
        for name, data in BINARY.items():
            write(target, name, data)
    for name, data in NUMBERS.items():
        write("numbers", name, data)
    for name, data in ex.items():
        lines = [l for l in data.decode().split("\n") if l.strip()]
        if len(lines) >= 2:
            write("numbers", "moscow_" + name, (lines[0] + "\t" + lines[1]).encode())
    index_seeds()


# Index files, written by the textsim binary ($TEXTSIM, else build/textsim):
# a few options each, over two short sources so that the seeds stay small.
INDEX_OPTIONS = {
    "default": [],
    "bigrams_stop_double": ["--ngram-range", "1,2", "--stop-words", "english", "--binary"],
    "char_wb_l1": ["--analyzer", "char_wb", "--ngram-range", "2,3", "--norm", "l1"],
    "stem_sublinear": ["--stem", "english", "--sublinear-tf", "--name-weight", "0.5"],
    "stop_file": ["--stop-words", None],
}


def index_seeds():
    import subprocess
    import tempfile
    textsim = os.environ.get("TEXTSIM", str(ROOT / "build" / "textsim"))
    if not os.access(textsim, os.X_OK):
        print(f"make_seeds: no {textsim}; index_reader seeds not written (set TEXTSIM)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tsv = pathlib.Path(tmp) / "two.tsv"
        tsv.write_text("a\tThe talks lasted five hours in Moscow.\n"
                       "a\tNo agreement was reached on Tuesday.\n"
                       "b\tPutin met the U.S. envoy for five hours.\n"
                       "b\tThe Kremlin called the talks useful.\n", encoding="utf-8")
        stop = pathlib.Path(tmp) / "stop.txt"
        stop.write_text("the\nfor\n", encoding="utf-8")
        for name, opts in INDEX_OPTIONS.items():
            opts = ["stop.txt" if o is None else o for o in opts]
            out = pathlib.Path(tmp) / (name + ".tsidx")
            subprocess.run([textsim, "index", "build", "two.tsv", "-o", str(out), "-q"] + opts,
                           check=True, cwd=tmp)
            write("index_reader", name, out.read_bytes())


def _json(s):
    import json
    return json.dumps(s, ensure_ascii=False)


if __name__ == "__main__":
    main()
