"""Read the text of a WeasyPrint PDF back, for tests (no PDF library is installed).

Enough of PDF 1.7 for what WeasyPrint writes: Flate streams, object streams, Type0 fonts with a
ToUnicode CMap, and text shown with TJ/Tj. Each text object (BT ... ET) and each text matrix
(Tm) starts a new line, so a word split across boxes still reads as separate lines.
"""

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
STREAM = re.compile(rb"^(<<.*?>>)\s*stream\r?\n(.*)\r?\nendstream$", re.S)
HEX = re.compile(rb"<([0-9a-fA-F]*)>")


def _objects(pdf: bytes) -> dict[int, bytes]:
    objects: dict[int, bytes] = {}
    for match in OBJECT.finditer(pdf):
        number, body = int(match[1]), match[2]
        stream = STREAM.match(body)
        if not stream:
            objects[number] = body
            continue
        head, data = stream[1], stream[2]
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        objects[number] = head + b"\nstream\n" + data
        if b"/ObjStm" in head:
            count = int(re.search(rb"/N (\d+)", head)[1])
            first = int(re.search(rb"/First (\d+)", head)[1])
            numbers = [int(n) for n in data[:first].split()]
            pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))[:count]
            for i, (inner, offset) in enumerate(pairs):
                end = pairs[i + 1][1] if i + 1 < len(pairs) else len(data) - first
                objects[inner] = data[first + offset : first + end].strip()
    return objects


def _stream(body: bytes) -> bytes:
    return body.split(b"\nstream\n", 1)[1]


def _cmap(data: bytes) -> dict[bytes, str]:
    mapping: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[src.lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[b"%04x" % code] = chr(start + offset)
    return mapping


def pdf_text(pdf: bytes) -> str:
    """The text a reader of `pdf` sees, one line per positioned run of text."""
    objects = _objects(pdf)
    cmaps = {
        number: _cmap(_stream(objects[int(ref)]))
        for number, body in objects.items()
        if (ref := (re.search(rb"/ToUnicode (\d+) 0 R", body) or [None, None])[1])
    }
    fonts: dict[bytes, dict[bytes, str]] = {}
    dictionaries = [body for body in objects.values() if b"\nstream\n" not in body]
    for body in dictionaries:
        found = re.findall(rb"/Font\s*<<(.*?)>>", body, re.S)
        found += [objects[int(ref)] for ref in re.findall(rb"/Font\s+(\d+) 0 R", body)]
        for entries in found:
            for name, ref in re.findall(rb"/(\w+)\s+(\d+) 0 R", entries):
                fonts[name] = cmaps.get(int(ref), {})
    lines: list[str] = []
    for body in dictionaries:
        if not re.search(rb"/Type\s*/Page\b", body):
            continue
        for ref in re.findall(rb"/Contents\s+(\d+) 0 R", body):
            content, cmap, current = _stream(objects[int(ref)]), {}, []
            tokens = re.finditer(
                rb"/(\w+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|\b(BT|Tm)\b",
                content,
                re.S,
            )
            for token in tokens:
                if token[1]:
                    cmap = fonts.get(token[1], {})
                elif token[4]:
                    lines.append("".join(current))
                    current = []
                else:
                    for hexes in HEX.findall(token[2] or b"<" + token[3] + b">"):
                        codes = [hexes[i : i + 4].lower() for i in range(0, len(hexes), 4)]
                        current.append("".join(cmap.get(code, "\ufffd") for code in codes))
            lines.append("".join(current))
    return "\n".join(line for line in lines if line.strip())
