#!/usr/bin/env python3
"""Sets the header of po/<lang>.po: UTF-8, language, plural forms."""
import re
import sys

PLURALS = {
    "kk": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
}
TEAM = {"kk": "Kazakh", "ru": "Russian", "en": "English"}

for lang in sys.argv[1:]:
    path = f"po/{lang}.po"
    s = open(path, encoding="utf-8").read()
    s = re.sub(r'"Content-Type: text/plain; charset=[^\\]*\\n"',
               r'"Content-Type: text/plain; charset=UTF-8\\n"', s)
    s = re.sub(r'"Language: [^\\]*\\n"', f'"Language: {lang}\\\\n"', s)
    s = re.sub(r'"Plural-Forms: [^\\]*\\n"', f'"Plural-Forms: {PLURALS[lang]}\\\\n"', s)
    s = re.sub(r'"Language-Team: [^\\]*\\n"', f'"Language-Team: {TEAM[lang]}\\\\n"', s)
    s = re.sub(r'"Last-Translator: [^\\]*\\n"', '"Last-Translator: Daryn developers\\\\n"', s)
    s = re.sub(r'"PO-Revision-Date: [^\\]*\\n"', '"PO-Revision-Date: 2026-12-01 12:00+0000\\\\n"', s)
    s = s.replace("#, fuzzy\nmsgid \"\"", "msgid \"\"", 1)
    open(path, "w", encoding="utf-8").write(s)
