"""Apple Numbers documents (`.numbers`): an iPhone or Mac user's own log, read as the workbook it is.

A `.numbers` file is a ZIP of Apple's IWA files (snappy-compressed protobuf: `Index/Document.iwa`,
`Index/Tables/*.iwa`); `numbers-parser` (PyPI, MIT, https://github.com/masaccio/numbers-parser, read 2026-12-02)
reads its sheets, tables and typed cells. Each table of each sheet is handed to `workbook` like a spreadsheet's
sheet (named "Sheet / Table" where a sheet holds several), so the header search, the sheets that continue a log
and every reader work as for .xlsx: a date cell is a date, a number a number, a duration a clock length, a
formula its computed value, a cell merged down a column fills each row it covers.

`numbers-parser` is an optional dependency (`pip install 'peri[numbers]'`); without it a Numbers document is
refused naming the file, with the package to install and Numbers' own CSV export (File > Export To > CSV) as
the ways. A document whose IWA files expand past `MAX_IWA_BYTES` is refused before any is decompressed (a
log of ten thousand sets is a few MiB), and one the library cannot open (damaged, password-protected) is
refused in one line naming the file, as a damaged workbook is.
"""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import ImportFormatError

MAX_IWA_BYTES = 64 << 20
_HINT = "in Numbers: File > Export To > CSV (or Excel), and import that file"


def is_numbers(names: set[str]) -> bool:
    """Whether a ZIP holding `names` is a Numbers document (its `Index/Document.iwa`)."""
    return "Index/Document.iwa" in names


def numbers_sheets(data: bytes, path: str) -> Iterator[tuple[str, list[list[str]]]]:
    """(name, rows as text) for each table of each sheet of a Numbers document, in the document's order."""
    try:
        import numbers_parser
    except ImportError:
        raise ImportFormatError("this is an Apple Numbers document, and numbers-parser, the package that reads it, "
                                "is not installed", place=path,
                                hint="pip install 'peri[numbers]' and re-run, or " + _HINT) from None
    from .workbook import _trimmed, cell_text

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        iwa = sum(i.file_size for i in z.infolist() if i.filename.endswith(".iwa"))
    if iwa > MAX_IWA_BYTES:
        raise ImportFormatError(f"the Numbers document's data is {iwa >> 20} MiB compressed, over the "
                                f"{MAX_IWA_BYTES >> 20} MiB limit", place=path, hint="not a training log?")
    fd, tmp = tempfile.mkstemp(suffix=".numbers")  # the library opens a path, never bytes
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        doc = numbers_parser.Document(tmp)
        for sheet in doc.sheets:
            tables = list(sheet.tables)
            for table in tables:
                name = sheet.name if len(tables) == 1 else f"{sheet.name} / {table.name}"
                yield name, _trimmed([cell_text(_value(table, cell)) for cell in row] for row in table.rows())
    finally:
        os.unlink(tmp)


def _value(table: Any, cell: Any) -> Any:
    """A cell's value; a cell merged down one column takes its range's first cell's (as a date written once
    beside a session's rows); an error cell ("#DIV/0!") is empty."""
    kind = type(cell).__name__
    if kind == "MergedCell":
        rect = getattr(cell, "rect", None)
        if rect is not None and rect[1] == rect[3]:
            return _value(table, table.cell(rect[0], rect[1]))
        return None
    if kind == "ErrorCell":
        return None
    return cell.value


# --- a Numbers document kept as a folder --------------------------------------------------------------------
# On a Mac a `.numbers` document may be a package: a folder that Finder shows as one file. Copied off the Mac
# without zipping (a USB stick, a network share, `scp -r`), it arrives as a folder holding `Index.zip` (the IWA
# files, zipped) or an `Index/` folder of them, with `Metadata/` (Properties.plist) and previews beside them
# (numbers-parser reads and writes both: `Document.save(package=True)`). It is read as the single-file document
# it stands for: its Index and Metadata zipped in memory, then read as above.
PACKAGE_PARTS = ("Index", "Metadata")


def is_package(path: Path) -> bool:
    """Whether a folder is a Numbers document kept as a package (its `Index.zip`, or `Index/Document.iwa`)."""
    return (path / "Index.zip").is_file() or (path / "Index" / "Document.iwa").is_file()


def folder_bytes(path: Path, limit: int) -> bytes:
    """The single-file form of a Numbers package folder (a ZIP of its Index and Metadata files); an
    ImportFormatError for any other folder, saying what to pass instead. At most `limit` bytes are read, and no
    link is followed out of the folder."""
    from .archive_guard import MAX_MEMBERS, unsafe_name

    where = str(path)
    if not is_package(path):
        if path.suffix.lower() == ".numbers":
            raise ImportFormatError("this is an Apple Numbers document kept as a folder, and it holds no Index "
                                    "(Index.zip or Index/Document.iwa): copied only in part?", place=where,
                                    hint="copy it again from the Mac, zipped (right-click > Compress), or " + _HINT)
        raise ImportFormatError("this is a folder, not a file", place=where,
                                hint="pass the log's file inside it (`peri import auto FOLDER/log.csv`), or zip the "
                                     "folder and pass the .zip; a Numbers document copied off a Mac as a folder (its "
                                     "Index.zip inside) is read as it is")
    buf = io.BytesIO()
    budget = limit
    count = 0
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for part in PACKAGE_PARTS:
            root = path / part
            files = sorted(f for f in root.rglob("*") if f.is_file() and not f.is_symlink()) if root.is_dir() else []
            for f in files:
                name = f.relative_to(path).as_posix()
                count += 1
                budget -= f.stat().st_size
                if budget < 0 or count > MAX_MEMBERS or unsafe_name(name):
                    raise ImportFormatError(f"the Numbers document's folder is not a document's ({name!r}: past the "
                                            f"{limit >> 20} MiB or {MAX_MEMBERS} files of one, or an odd name)",
                                            place=where, hint=_HINT)
                out.writestr(name, f.read_bytes())
        index = path / "Index.zip"
        if index.is_file() and not index.is_symlink():
            budget = _unpack_index(index, out, budget, where)
    return buf.getvalue()


def _unpack_index(index: Path | io.BytesIO, out: zipfile.ZipFile, budget: int, where: str) -> int:
    """Copy `Index.zip`'s IWA files into the document being built; the bytes of `budget` left."""
    from .archive_guard import check_zip

    place = f"{where}/Index.zip"
    try:
        with zipfile.ZipFile(index) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            check_zip(z.infolist(), [], place, budget)
            stated = sum(i.file_size for i in infos if i.filename.endswith(".iwa"))
            if stated > MAX_IWA_BYTES:
                raise ImportFormatError(f"the Numbers document's data is {stated >> 20} MiB, over the "
                                        f"{MAX_IWA_BYTES >> 20} MiB limit", place=place, hint="not a training log?")
            for info in infos:
                with z.open(info) as f:
                    body = f.read(min(budget, MAX_IWA_BYTES) + 1)
                budget -= len(body)
                if budget < 0 or len(body) > MAX_IWA_BYTES:
                    raise ImportFormatError("the Numbers document's Index.zip expands past the limit of a file",
                                            place=place, hint="not a training log?")
                out.writestr(info.filename, body)
    except ImportFormatError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as e:
        raise ImportFormatError(f"the Numbers document's Index.zip is damaged ({str(e)[:80]})", place=place,
                                hint=_HINT) from None
    return budget


def zipped_package(z: zipfile.ZipFile, names: list[str], path: str, limit: int) -> tuple[bytes, str] | None:
    """A Numbers package folder zipped (a Mac's Compress of `Training.numbers` when it is a folder: members
    `Training.numbers/Index.zip`, `Training.numbers/Metadata/...`) as the single-file document, and the name of
    the package; None where the archive holds no such folder, or several (the archive is read as any)."""
    from .archive_guard import unsafe_name

    roots = {n[: n.index(".numbers/") + len(".numbers")] for n in names
             if n.endswith((".numbers/Index.zip", ".numbers/Index/Document.iwa")) and ".numbers/" in n}
    if len(roots) != 1:
        return None
    from .archive_guard import check_zip

    check_zip(z.infolist(), [], path, limit)  # entries and names, before anything is expanded
    root = roots.pop()
    buf = io.BytesIO()
    budget = limit
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for name in names:
            rel = name[len(root) + 1:] if name.startswith(root + "/") else None
            if rel is None or not rel.startswith(("Index/", "Metadata/")) or unsafe_name(rel):
                continue
            with z.open(name) as f:
                body = f.read(budget + 1)
            budget -= len(body)
            if budget < 0:
                raise ImportFormatError("the Numbers document in the ZIP archive expands past the limit of a file",
                                        place=f"{path}/{root}", hint="not a training log?")
            out.writestr(rel, body)
        if root + "/Index.zip" in names:
            with z.open(root + "/Index.zip") as f:
                index = f.read(min(budget, MAX_IWA_BYTES) + 1)
            if len(index) > min(budget, MAX_IWA_BYTES):  # past what is left: never read cut short as "damaged"
                raise ImportFormatError("the Numbers document in the ZIP archive expands past the limit of a file",
                                        place=f"{path}/{root}", hint="not a training log?")
            budget = _unpack_index(io.BytesIO(index), out, budget - len(index), f"{path}/{root}")
    return buf.getvalue(), root
