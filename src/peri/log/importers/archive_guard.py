"""Checks of an archive before anything in it is expanded (`archive`): a ZIP or gzip file a person did not
make - a zip bomb, a member named to climb out of a folder or to write to the terminal, ten thousand members -
is refused by name, and nothing is read or written.

Limits, each far past what an app's export holds (a ten-year Strong log is a few MiB of CSV, which deflates
5 to 20 times):
- the members a reader would open expand to at most the limit of one file (`base.MAX_FILE_BYTES`) IN TOTAL,
  as their headers state (Python's zipfile never reads a member past its stated size: a lie is a damaged
  member);
- a member, or a gzip file, over `RATIO_FLOOR` bytes expanded may not expand more than `MAX_RATIO` times its
  compressed size (a CSV's repeated dates and exercise names deflate well, but not a thousand times: that is
  a bomb's run of one byte);
- at most `MAX_MEMBERS` entries;
- a member's name is a relative path without `..`, control characters or direction marks (nothing is ever
  extracted, but the name is printed in places, `ARCHIVE/MEMBER:LINE`).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import PurePosixPath

from ...errors import ImportFormatError

MAX_MEMBERS = 10_000
MAX_RATIO = 200
RATIO_FLOOR = 16 << 20
# direction marks and overrides, which make a printed name read other than it is (U+202E flips the rest); other
# format characters (the joiner inside an emoji) are a name a person may give
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_HINT = "not a training-log export? Unzip it yourself and pass the log's .csv"


def bomb_ratio(expanded: int, compressed: int) -> float | None:
    """How many times a member expands, where that makes it a bomb (see the module docstring); else None."""
    ratio = expanded / max(compressed, 1)
    return ratio if expanded > RATIO_FLOOR and ratio > MAX_RATIO else None


def check_zip(infos: list[zipfile.ZipInfo], read: list[zipfile.ZipInfo], path: str, limit: int) -> None:
    """Refuse the archive (ImportFormatError naming it or its member) before any member of `read` is expanded."""
    if len(infos) > MAX_MEMBERS:
        raise ImportFormatError(f"the ZIP archive holds {len(infos)} entries, more than the {MAX_MEMBERS} an export "
                                "could hold", place=f"{path}:1", hint=_HINT)
    for info in infos:
        problem = unsafe_name(info.filename)
        if problem:
            raise ImportFormatError(f"a member of the ZIP archive is named {info.filename[:80]!r}, {problem}",
                                    place=f"{path}:1", hint=_HINT)
    for info in read:
        ratio = bomb_ratio(info.file_size, info.compress_size)
        if ratio is not None:
            raise ImportFormatError(
                f"this member of the ZIP archive expands {ratio:.0f} times its compressed size, to "
                f"{info.file_size >> 20} MiB: a zip bomb, not an export", place=f"{path}/{info.filename}", hint=_HINT)
    total = sum(i.file_size for i in read)
    if total > limit and all(i.file_size <= limit for i in read):  # one member past it: `archive` names it
        raise ImportFormatError(f"the tables in the ZIP archive expand to {total >> 20} MiB together, over the "
                                f"{limit >> 20} MiB limit of a file", place=f"{path}:1", hint=_HINT)


def unsafe_name(name: str) -> str | None:
    """Why a member's name is no name an export gives (climbing out with `..`, absolute, control or direction
    characters), or None."""
    if any(ord(c) < 32 or 127 <= ord(c) < 160 or c in _BIDI for c in name):
        return "which holds control or direction characters"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if ".." in PurePosixPath(name.replace("\\", "/")).parts:
        return "a path climbing out of the archive with '..'"
    return None


def inflate_gzip(data: bytes, limit: int) -> tuple[bytes, bool]:
    """The bytes of every member of a gzip file (members written one after another are one file, as gunzip
    reads them), at most `limit` of them, and whether the last member ended (False: cut short). Raises
    zlib.error for data that is no deflate stream."""
    out = bytearray()
    rest = data
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += inflater.decompress(rest, limit + 1 - len(out))
        if len(out) > limit or not inflater.eof:
            return bytes(out), inflater.eof or len(out) > limit
        rest = inflater.unused_data.lstrip(b"\0")  # padding after a member (tape blocks) is no member
        if not rest:
            return bytes(out), True
