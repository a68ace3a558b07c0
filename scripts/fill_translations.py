"""Fill Swedish msgstr entries of one app's catalogue from a JSON dict {msgid: msgstr}.

Usage: .venv/bin/python scripts/fill_translations.py bibblix/APP/locale/sv/LC_MESSAGES/django.po FILE.json
Prints the msgids still untranslated; then run scripts/messages.sh again to compile.
"""

import json
import sys

import polib

po = polib.pofile(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as source:
    table = json.load(source)
for entry in po:
    if entry.obsolete:
        continue
    if entry.msgid in table:
        value = table[entry.msgid]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
po.save()
for entry in po:
    if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags):
        print("untranslated:", entry.msgid)
