"""Per-line encoding validation of a text file that is not plain UTF-8.

A file is UTF-8 or GB18030 as a whole (the encoding most of its non-ASCII lines are written
in); a line written in the other encoding, or in neither, is never transcoded silently: it is
copied into the readable UTF-8 file the readers take with a mark that makes the reader reject
its record, and the line's reason names the line, the byte offset and what the bytes are.

Clean chunks are validated and decoded whole by the codecs (C speed); only chunks that hold a
line foreign to the file's encoding are split into lines.
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from flows.landing.fingerprint import CHUNK, open_text_bytes

# A line made only of valid UTF-8 that holds at least one multi-byte sequence. GBK text matches
# it only by rare chance (a line of one or two characters), so such a line in a GB18030 file is
# taken for a UTF-8 line.
_MB = (
    rb"(?:[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2})"
)
UTF8_LINE = re.compile(
    rb"(?m)^[\x00-\x09\x0b-\x7f]*" + _MB + rb"(?:[\x00-\x09\x0b-\x7f]|" + _MB + rb")*$"
)
NON_ASCII_LINE = re.compile(rb"(?m)^[^\n]*[\x80-\xff]")

# Appended to a rejected line in the readable copy: never valid UTF-8, so the CSV reader rejects
# the record holding the line (and the record numbering stays the reader's own).
REJECT_MARK = b"\xff"


@dataclass(frozen=True)
class BadLine:
    line: int  # 1-based physical line of the file
    offset: int  # byte offset (of the decompressed content) of the first offending byte
    reason: str


@dataclass
class LineScan:
    encoding: str
    bad: list[BadLine] = field(default_factory=list)


def _chunks(path: Path, fmt: str):
    """The content in chunks that end at a line break (the last one may not)."""
    rest = b""
    try:
        with open_text_bytes(path, fmt) as source:
            while data := source.read(CHUNK):
                data = rest + data
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    rest = data
                    continue
                rest = data[cut:]
                yield data[:cut]
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"truncated or corrupt gzip ({exc})") from None
    if rest:
        yield rest


def majority_encoding(path: Path, fmt: str) -> str:
    """``utf-8`` when at least as many non-ASCII lines are valid UTF-8 as are not (and some
    are), else ``gb18030``."""
    utf8 = other = 0
    for chunk in _chunks(path, fmt):
        if chunk.isascii():
            continue
        non_ascii = len(NON_ASCII_LINE.findall(chunk))
        valid = len(UTF8_LINE.findall(chunk))
        utf8 += valid
        other += non_ascii - valid
    return "utf-8" if utf8 and utf8 >= other else "gb18030"


def _strip_bom(chunk: bytes, first: bool) -> bytes:
    return chunk[3:] if first and chunk.startswith(b"\xef\xbb\xbf") else chunk


def write_readable(
    path: Path,
    fmt: str,
    encoding: str,
    target: Path,
    mark: bool,
    quote: bytes = b"",
    header_lines: int = 0,
) -> LineScan:
    """Decode ``path`` as ``encoding`` into the UTF-8 file ``target``, line by line where needed.

    A line foreign to ``encoding`` is written decoded in the encoding it is in (readable in the
    quarantine), followed by ``REJECT_MARK`` when ``mark``; it is listed in the result. The
    first ``header_lines`` lines are never marked (a foreign header fails on its own).
    ``quote``: the CSV quote character (the mark goes inside a closing quote).
    """
    scan = LineScan(encoding)
    line_no = 0  # physical lines before the chunk
    offset = 0
    utf8 = encoding == "utf-8"
    with open(target, "wb") as out:
        for index, chunk in enumerate(_chunks(path, fmt)):
            chunk = _strip_bom(chunk, index == 0)
            foreign = _foreign_lines(chunk, encoding)
            if not foreign:
                out.write(chunk if utf8 else chunk.decode(encoding).encode("utf-8"))
            else:
                _write_lines(
                    out, chunk, encoding, (line_no, offset), scan, (mark, quote), header_lines
                )
            line_no += chunk.count(b"\n")
            offset += len(chunk)
    return scan


def _foreign_lines(chunk: bytes, encoding: str) -> bool:
    """Whether the chunk holds a line that is not in the file's encoding."""
    if chunk.isascii():
        return False
    if encoding == "utf-8":
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False
    if UTF8_LINE.search(chunk):
        return True
    try:
        chunk.decode(encoding)
    except UnicodeDecodeError:
        return True
    return False


def _write_lines(
    out,
    chunk: bytes,
    encoding: str,
    where: tuple[int, int],
    scan: LineScan,
    marking: tuple[bool, bytes],
    header_lines: int,
) -> None:
    """Decode a chunk line by line (``where``: lines and bytes before it)."""
    (line_no, offset), (mark, quote) = where, marking
    position = 0
    pieces = chunk.split(b"\n")
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        if last and not piece:
            break
        number, start = line_no + 1 + index, position
        position += len(piece) + (not last)
        body = piece[:-1] if piece.endswith(b"\r") else piece
        ending = piece[len(body) :] + (b"" if last else b"\n")
        text, bad = _decode_line(body, encoding)
        if bad is None or number <= header_lines:
            out.write(text.encode("utf-8") + ending)
            continue
        at, what = bad
        scan.bad.append(BadLine(number, offset + start + at, what))
        out.write((_marked(text.encode("utf-8"), quote) if mark else text.encode("utf-8")) + ending)


def _marked(line: bytes, quote: bytes) -> bytes:
    """The line with the reject mark at its end (inside a closing quote, where it makes an
    invalid value rather than text after a quoted field)."""
    if quote and line.endswith(quote):
        return line[: -len(quote)] + REJECT_MARK + quote
    return line + REJECT_MARK


def _decode_line(body: bytes, encoding: str) -> tuple[str, tuple[int, str] | None]:
    """The line's text, and (offset in line, what is wrong) when it is not in ``encoding``."""
    if body.isascii():
        return body.decode("ascii"), None
    if encoding == "utf-8":
        try:
            return body.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            at = exc.start
        try:
            return body.decode("gb18030"), (at, "not valid UTF-8 (the bytes are GB18030/GBK)")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="replace")
            return text, (at, "not valid UTF-8 (nor GB18030)")
    if UTF8_LINE.fullmatch(body):
        first = next(i for i, b in enumerate(body) if b >= 0x80)
        return body.decode("utf-8"), (first, "UTF-8 text, not " + encoding)
    try:
        return body.decode(encoding), None
    except UnicodeDecodeError as exc:
        text = body.decode(encoding, errors="replace")
        return text, (exc.start, f"not valid {encoding}")


def line_reason(file_encoding: str, bad: BadLine) -> str:
    """The quarantine reason of one foreign line."""
    return (
        f"line {bad.line} is {bad.reason} at byte offset {bad.offset} of a {file_encoding} "
        "file (mixed encodings); quarantined, not transcoded"
    )
