"""Reading input files safely: special files refused unopened, a size limit, and text in whatever encoding it
came in (UTF-8, UTF-16 with or without a byte-order mark, Windows-1252 / Latin-1 line by line), with a note."""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.sources import Skips

# A file above this is a named skip (the record size limit is `ingest.evidence.MAX_RECORD_CHARS`).
MAX_FILE_BYTES = 256 * 1024 * 1024

KINDS_OF_FILE = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# C0 controls other than tab, newline, carriage return and form feed: text in a legacy encoding has none.
CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def special_file(path: Path) -> str | None:
    """What `path` is when it is not a regular file or a folder ("a named pipe (FIFO)"), without opening it."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return next((name for test, name in KINDS_OF_FILE if test(mode)), None)


def read_bytes(path: Path, skips: Skips) -> bytes | None:
    """The file's bytes; a special file, an unreadable or an oversized file is a named skip (None).

    The file is opened without blocking and checked before anything is read, so a FIFO or a device named
    in place of a file can never hang the run."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        skips.add(str(path), f"cannot be read: {exc.strerror or exc}")
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = next((name for test, name in KINDS_OF_FILE if test(info.st_mode)), "not a regular file")
            skips.add(str(path), f"{what}, not a file: save the data to a file and ingest that")
            return None
        if info.st_size > MAX_FILE_BYTES:
            skips.add(
                str(path),
                f"file too large ({info.st_size / 2**20:,.0f} MB; the limit is "
                f"{MAX_FILE_BYTES // 2**20} MB): split it and ingest the parts",
            )
            return None
        try:
            return handle.read()
        except OSError as exc:
            skips.add(str(path), f"cannot be read: {exc.strerror or exc}")
            return None


def decode(path: Path, data: bytes, skips: Skips) -> str:
    """Text from bytes: a byte-order mark's encoding, UTF-16 without one, else UTF-8 line by line, where a line
    that is not UTF-8 but reads as Windows-1252 is taken so (with a note naming the lines). Bytes that read as
    neither stay in the text as surrogates (see `has_bad_bytes`), so only their own record is skipped."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            if encoding != "utf-8":
                try:
                    return data.decode(encoding)
                except UnicodeDecodeError:
                    pass
            break
    wide = _utf16_without_bom(data)
    if wide is not None:
        text, encoding = wide
        skips.note(str(path), f"read as {encoding} (the file has no byte-order mark)")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:8192]:  # binary, or text with binary damage: never guessed at as Windows-1252
        return data.decode("utf-8", errors="surrogateescape")
    lines, legacy = [], []
    for number, line in enumerate(data.split(b"\n"), 1):
        try:
            lines.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        legacy_text = _windows_1252(line)
        if legacy_text is None:
            lines.append(line.decode("utf-8", errors="surrogateescape"))
        else:
            lines.append(legacy_text)
            legacy.append(number)
    if legacy:
        shown = ", ".join(map(str, legacy[:8])) + (f" and {len(legacy) - 8} more" if len(legacy) > 8 else "")
        skips.note(
            f"{path}:{legacy[0]}",
            f"not UTF-8: read as Windows-1252 (Latin-1) on line{'s' * (len(legacy) > 1)} "
            f"{shown}; check accented letters there",
        )
    return "\n".join(lines)


def _windows_1252(line: bytes) -> str | None:
    """A line in Windows-1252 (a superset of Latin-1's letters), or None when it looks like corrupted UTF-8 or
    binary: control bytes, one of the five bytes Windows-1252 leaves undefined, or valid UTF-8 sequences
    mixed with broken ones."""
    if CONTROLS.search(line):
        return None
    try:
        text = line.decode("cp1252")
    except UnicodeDecodeError:
        return None
    utf8_letters = [c for c in line.decode("utf-8", errors="replace") if c > "\x7f" and c != "\ufffd"]
    return None if utf8_letters else text


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text with no byte-order mark, recognised by its zero bytes: ASCII-range text written as
    UTF-16-LE has a zero in (nearly) every odd byte and none in the even ones; big-endian the other way."""
    sample = data[:8192]
    half = len(sample) // 2
    if half < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * half and even < 0.02 * half:
        encoding = "UTF-16-LE"
    elif even > 0.3 * half and odd < 0.02 * half:
        encoding = "UTF-16-BE"
    else:
        return None
    body = data[: len(data) // 2 * 2]
    try:
        return body.decode(encoding.lower()), encoding
    except UnicodeDecodeError:
        return None


# What connectors check per record ---------------------------------------------------------------------------

BAD_BYTES = re.compile(
    "[\x00\udc80-\udcff]"
)  # NUL, and what surrogateescape makes of bytes that are not UTF-8
NOT_UTF8 = "not UTF-8 text (another encoding or corrupted bytes)"
BINARY = "binary file, not text"


def looks_binary(text: str) -> bool:
    """Binary data, not text with a stray NUL: NUL bytes, and control characters in over 5% of the start."""
    sample = text[:8192]
    if "\x00" not in sample:
        return False
    controls = sum(1 for char in sample if char < " " and char not in "\t\n\r\f")
    return controls > 0.05 * len(sample)


def has_bad_bytes(value: object) -> bool:
    """True when text (or any string inside lists / dicts, however deep) holds bytes that were not UTF-8."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if BAD_BYTES.search(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False
