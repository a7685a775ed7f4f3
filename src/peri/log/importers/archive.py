"""A log handed over inside an archive: a ZIP of an app's export, or a gzip-compressed CSV.

Apps and browsers hand exports over zipped (a "data export" mailed as `export.zip`, a phone's share sheet
compressing a folder, Google Takeout), and people pass the archive as it came. `base.read_table` asks here
before refusing a ZIP that is not a workbook (a workbook - .xlsx, .ods - is a ZIP too, read by `workbook`):

- one member that is a table (`.csv`, `.tsv`, `.txt`, `.xlsx`, `.xlsm`, `.xls`, `.ods`, `.numbers`), a JSON log (`jsonlog`)
  or a Garmin activity (`.fit`, `fitlog`: Garmin Connect's "Export Original" is a ZIP of one)
  is read as if it had been passed itself; the report names it, and every place reads `ARCHIVE/MEMBER:LINE`;
- several: the one whose header names a date and an exercise column, or is an app's own header (what
  `workbook._header_at` asks of a sheet), is read and the report names the members left unread; members
  with the same bytes count once;
- none, or more than one log: the archive is refused naming its members, with nothing read - which of two
  logs a person meant is never guessed.

Folders, macOS resource forks (`__MACOSX/`, `._name`) and hidden files are no members. A member past the size
limit of a file (`base.MAX_FILE_BYTES`), an archive inside the archive, and an encrypted member are refused by
name, never expanded. A gzip file (`export.csv.gz`) is decompressed up to the same limit.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...errors import ImportFormatError
from .archive_guard import bomb_ratio, check_zip, inflate_gzip

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".json", ".jsonl", ".numbers", ".fit")
ARCHIVE_SUFFIXES = (".zip", ".gz", ".7z", ".rar", ".tar", ".tgz")
_HINT = "unzip it and pass the log's file (`peri import auto FILE`)"
LISTED = 6  # members named in a message, the rest counted


@dataclass(frozen=True)
class Member:
    """One file taken out of an archive: its bytes, the path places are named by, and the report's note."""

    data: bytes
    path: str
    note: str


def is_gzip(data: bytes) -> bool:
    return data.startswith(b"\x1f\x8b")


def gunzip(data: bytes, path: str, limit: int) -> Member:
    """The bytes inside a gzip file, refused past `limit` bytes (a gzip bomb is never expanded whole)."""
    try:
        out, whole = inflate_gzip(data, limit + 1)  # every member of a gzip file (`cat a.gz b.gz` is one)
    except zlib.error as e:
        raise ImportFormatError(f"this is a gzip-compressed file, and it is damaged ({e})", place=f"{path}:1",
                                hint="download or export it again, or pass the .csv inside") from None
    if len(out) > limit:
        raise ImportFormatError(f"the gzip file expands past the {limit >> 20} MiB limit of a file", place=path,
                                hint="not a training-log export?")
    if not whole:  # a download cut short: its rows up to the cut would import as if they were all
        raise ImportFormatError("this gzip file is cut short (its compressed data ends early, or is no gzip data)",
                                place=f"{path}:1", hint="download or export it again")
    ratio = bomb_ratio(len(out), len(data))
    if ratio is not None:
        raise ImportFormatError(f"the gzip file expands {ratio:.0f} times its size: a bomb, not an export",
                                place=path, hint="not a training-log export?")
    _not_an_archive(out, path)
    inner = path[:-3] if path.lower().endswith(".gz") else path + " (decompressed)"
    return Member(out, inner, f"read {PurePosixPath(inner).name!r} from the gzip file")


def zip_member(data: bytes, path: str, limit: int) -> Member | None:
    """The log inside a ZIP archive (see the module docstring), or None when the bytes do not open as a ZIP
    (the caller then names the file a ZIP archive, as before). Raises ImportFormatError naming the archive and
    its members when no member, or more than one, is a log."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None
    with z:
        files = [i for i in infos if _a_file(i.filename) and not i.is_dir()]
        from .fitbulk import garmin_bulk  # many .fit files, or ZIPs of them: Garmin Connect's bulk export

        bulk = garmin_bulk(z, files, path, limit)
        if bulk is not None:
            return Member(bulk[0], path, bulk[1])
        from .numbersdoc import zipped_package  # a Numbers document kept as a folder, zipped

        package = zipped_package(z, [i.filename for i in files], path, limit)
        if package is not None:
            return Member(package[0], f"{path}/{package[1]}",
                          f"read {package[1]!r} from the ZIP archive (an Apple Numbers document kept as a folder)")
        tables = [i for i in files if i.filename.lower().endswith(TABLE_SUFFIXES)]
        check_zip(infos, tables, path, limit)  # a bomb, or names no export gives (`archive_guard`)
        if not tables:
            inner = [i.filename for i in files if i.filename.lower().endswith(ARCHIVE_SUFFIXES)]
            raise ImportFormatError(
                f"this is a ZIP archive holding no CSV file, workbook or JSON log (it holds {_listed([i.filename for i in files])})",
                place=f"{path}:1",
                hint=("unzip it, and the archive inside it, and pass the .csv" if inner else
                      "export your log from the app as CSV (or unzip it and pass the .csv inside)"))
        read: dict[bytes, str] = {}
        for info in tables:
            body = _read(z, info, path, limit)
            _not_an_archive(body, f"{path}/{info.filename}")
            read.setdefault(body, info.filename)  # the same bytes twice (a copy in another folder) count once
    members = [(name, body) for body, name in read.items()]
    skipped = [i.filename for i in files if i not in tables]
    if len(members) == 1:
        name, body = members[0]
        others = f"; not read: {_listed(skipped)}" if skipped else ""
        return Member(body, f"{path}/{name}", f"read {name!r} from the ZIP archive{others}")
    logs = [(name, body) for name, body in members if _a_log(body, f"{path}/{name}")]
    if len(logs) == 1:
        name, body = logs[0]
        rest = [n for n, _ in members if n != name] + skipped
        return Member(body, f"{path}/{name}",
                      f"read {name!r} from the ZIP archive of {len(members)} tables, the one whose columns are a "
                      f"training log's; not read: {_listed(rest)}")
    if not logs:
        raise ImportFormatError(
            f"no file in the ZIP archive has a header naming a date and an exercise column (it holds "
            f"{_listed([n for n, _ in members])})", place=f"{path}:1",
            hint="unzip it and pass the log's file; `peri import csv FILE --map COLUMN=FIELD` reads other columns")
    raise ImportFormatError(
        f"the ZIP archive holds {len(logs)} training logs ({_listed([n for n, _ in logs])}); which one to import "
        "is not guessed", place=f"{path}:1", hint=_HINT + " for each log you mean, one at a time")


def _not_an_archive(body: bytes, where: str) -> None:
    """An archive inside the archive is not opened (one level is what exports use; more could nest forever)."""
    from .workbook import workbook_kind

    if is_gzip(body) or (body.startswith(b"PK\x03\x04") and workbook_kind(body) is None):
        raise ImportFormatError("an archive inside the archive is not opened", place=where,
                                hint="unzip it and pass the .csv inside")


def _a_file(name: str) -> bool:
    """A member a person put there: not a folder entry, a macOS resource fork or a hidden file."""
    parts = PurePosixPath(name).parts
    return bool(parts) and parts[0] != "__MACOSX" and not any(p.startswith(".") for p in parts)


def _read(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, limit: int) -> bytes:
    where = f"{path}/{info.filename}"
    if info.flag_bits & 0x1:
        raise ImportFormatError("this member of the ZIP archive is encrypted", place=where,
                                hint="unzip it with its password and pass the file inside")
    if info.file_size > limit:
        raise ImportFormatError(f"this member of the ZIP archive expands to {info.file_size >> 20} MiB, over the "
                                f"{limit >> 20} MiB limit of a file", place=where, hint="not a training-log export?")
    try:
        with z.open(info) as f:
            body = f.read(limit + 1)  # the size a member states can lie: never read past the limit
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error) as e:
        raise ImportFormatError(f"this member of the ZIP archive is damaged ({e})", place=where,
                                hint="download or export the archive again") from None
    if len(body) > limit:
        raise ImportFormatError(f"this member of the ZIP archive expands past the {limit >> 20} MiB limit of a file",
                                place=where, hint="not a training-log export?")
    return body


def _a_log(body: bytes, where: str) -> bool:
    """Whether a member reads as a table whose header names a date and an exercise column, or an app's own."""
    from .base import read_table
    from .workbook import _header_at

    try:
        table = read_table(where, data=body)
    except ImportFormatError:
        return False
    return _header_at([table.header]) is not None


def _listed(names: list[str]) -> str:
    if not names:
        return "nothing"
    shown = ", ".join(repr(n) for n in names[:LISTED])
    return shown + (f" and {len(names) - LISTED} more" if len(names) > LISTED else "")
