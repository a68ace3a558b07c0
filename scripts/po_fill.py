"""Fill Swedish translations into a .po file: `python scripts/po_fill.py FILE.po MAP.json`.

MAP.json is {"English msgid": "svensk text"} (for plurals: {"msgid": ["singular", "plural"]}).
Entries not in the map are left as they are; fuzzy flags are cleared on the entries it fills.
Prints the msgids that still have no translation.
"""

import json
import sys

import polib


def main(po_path: str, map_path: str) -> None:
    catalogue = polib.pofile(po_path)
    with open(map_path, encoding="utf-8") as handle:
        mapping = json.load(handle)
    for entry in catalogue:
        if entry.msgid in mapping:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                singular, plural = value if isinstance(value, list) else (value, value)
                entry.msgstr_plural = {0: singular, 1: plural}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save(po_path)
    missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    for msgid in missing:
        print(f"untranslated: {msgid}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
