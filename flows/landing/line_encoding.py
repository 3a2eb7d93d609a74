"""Per-line encoding validation of a text file that is not plain UTF-8.

A file is UTF-8 or GB18030 as a whole: the encoding most of its non-ASCII lines are written in
(unless a profile states it). A line written in the other encoding, or in neither, is never
transcoded silently: it is copied into the readable UTF-8 file the readers take, decoded in the
encoding it is in, with a mark that makes the reader reject its record; the line's reason names
the line, the byte offset and what the bytes are.

The first pass classifies the lines of each chunk with array operations (numpy), the second
decodes whole chunks with the codec; only a chunk holding a foreign line is decoded line by line.
"""

from __future__ import annotations

import gzip
import zlib
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from flows.landing.fingerprint import CHUNK, open_text_bytes

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


@dataclass
class LineKinds:
    """The 1-based numbers of the non-ASCII lines that are valid UTF-8, and of the others."""

    utf8: array = field(default_factory=lambda: array("q"))
    other: array = field(default_factory=lambda: array("q"))

    def majority(self) -> str:
        """``utf-8`` when at least as many non-ASCII lines are valid UTF-8 as are not (and some
        are), else ``gb18030``."""
        return "utf-8" if self.utf8 and len(self.utf8) >= len(self.other) else "gb18030"

    def foreign(self, encoding: str) -> set[int]:
        """The lines written in another encoding than ``encoding``."""
        return set(self.other if encoding == "utf-8" else self.utf8)


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


def line_kinds(path: Path, fmt: str) -> LineKinds:
    """Which non-ASCII lines are UTF-8, in one streamed pass validated with array operations.

    A line is UTF-8 when it holds non-ASCII bytes and every one of them is part of a
    well-formed UTF-8 sequence (lead byte followed by the continuation bytes it announces). GBK
    text passes that only by rare chance (a line of one or two characters).
    """
    kinds = LineKinds()
    line_no = 0
    for chunk in _chunks(path, fmt):
        if not chunk.isascii():
            utf8, other = _classify(chunk)
            kinds.utf8.extend((utf8 + line_no + 1).tolist())
            kinds.other.extend((other + line_no + 1).tolist())
        line_no += chunk.count(b"\n")
    return kinds


def _byte_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per byte value: the continuation bytes a UTF-8 lead announces, and whether the byte is
    valid only as a continuation (1), never (2) or otherwise (0)."""
    needs = np.zeros(256, dtype=np.int8)
    needs[0xC2:0xE0], needs[0xE0:0xF0], needs[0xF0:0xF5] = 1, 2, 3
    kind = np.zeros(256, dtype=np.int8)
    kind[0x80:0xC0] = 1
    kind[[0xC0, 0xC1]] = 2
    kind[0xF5:] = 2
    return needs, kind


_NEEDS, _KIND = _byte_tables()


def _classify(chunk: bytes) -> tuple[np.ndarray, np.ndarray]:
    """0-based indexes (within the chunk) of its non-ASCII lines that are / are not UTF-8."""
    data = np.frombuffer(chunk, dtype=np.uint8)
    # Line i spans starts[i] up to its line break (a segment never empty: it holds that break).
    newline = data == 10
    starts = np.concatenate(([0], np.flatnonzero(newline) + 1))
    starts = starts[starts < len(data)]
    needs, kind = _NEEDS[data], _KIND[data]
    # Where an earlier lead of the same line needs a continuation (a lead cut by the line break
    # fails at the break, which belongs to its line; it never reaches into the next line).
    expected = np.zeros(len(data), dtype=bool)
    expected[1:] = needs[:-1] >= 1
    expected[2:] |= (needs[:-2] >= 2) & ~newline[1:-1]
    expected[3:] |= (needs[:-3] >= 3) & ~newline[2:-1] & ~newline[1:-2]
    invalid = (kind == 2) | ((kind == 1) != expected)
    non_ascii = np.logical_or.reduceat(data >= 0x80, starts)
    not_utf8 = np.logical_or.reduceat(invalid, starts)
    return np.flatnonzero(non_ascii & ~not_utf8), np.flatnonzero(not_utf8)


def _strip_bom(chunk: bytes, first: bool) -> bytes:
    return chunk[3:] if first and chunk.startswith(b"\xef\xbb\xbf") else chunk


def write_readable(
    path: Path,
    fmt: str,
    encoding: str,
    target: Path,
    foreign: set[int],
    quote: bytes = b"",
    header_lines: int = 0,
) -> LineScan:
    """Decode ``path`` as ``encoding`` into the UTF-8 file ``target``.

    Chunks without a ``foreign`` line (nor bytes invalid in ``encoding``) are decoded at once;
    the others line by line. A foreign line is written decoded in the encoding it is in
    (readable in the quarantine) followed by ``REJECT_MARK`` (inside a closing ``quote``), and
    listed in the result. The first ``header_lines`` lines are never marked (a foreign header
    fails on its own).
    """
    scan = LineScan(encoding)
    line_no = 0  # physical lines before the chunk
    offset = 0
    ordered = sorted(foreign)
    with open(target, "wb") as out:
        for index, chunk in enumerate(_chunks(path, fmt)):
            chunk = _strip_bom(chunk, index == 0)
            count = chunk.count(b"\n")
            clean = not _any_between(ordered, line_no, line_no + count + 1)
            if clean:
                try:
                    if encoding == "utf-8":
                        chunk.decode("utf-8")  # validated (the array check is not exhaustive)
                        out.write(chunk)
                    else:
                        out.write(_recode(chunk, encoding))
                except UnicodeDecodeError:
                    clean = False
            if not clean:
                _write_lines(
                    out, chunk, encoding, (line_no, offset), scan, (foreign, quote), header_lines
                )
            line_no += count
            offset += len(chunk)
    return scan


def _any_between(ordered: list[int], low: int, high: int) -> bool:
    """Whether a number in the sorted list lies in (low, high]."""
    at = bisect_right(ordered, low)
    return at < len(ordered) and ordered[at] <= high


def _recode(chunk: bytes, encoding: str) -> bytes:
    return chunk.decode(encoding).encode("utf-8")


def _write_lines(
    out,
    chunk: bytes,
    encoding: str,
    where: tuple[int, int],
    scan: LineScan,
    marking: tuple[set[int], bytes],
    header_lines: int,
) -> None:
    """Decode a chunk line by line (``where``: lines and bytes before it)."""
    (line_no, offset), (foreign, quote) = where, marking
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
        text, bad = _decode_line(body, encoding, number in foreign)
        if bad is None or number <= header_lines:
            out.write(text.encode("utf-8") + ending)
            continue
        at, what = bad
        scan.bad.append(BadLine(number, offset + start + at, what))
        out.write(_marked(text.encode("utf-8"), quote) + ending)


def _marked(line: bytes, quote: bytes) -> bytes:
    """The line with the reject mark at its end (inside a closing quote, where it makes an
    invalid value rather than text after a quoted field)."""
    if quote and line.endswith(quote):
        return line[: -len(quote)] + REJECT_MARK + quote
    return line + REJECT_MARK


def _decode_line(body: bytes, encoding: str, foreign: bool) -> tuple[str, tuple[int, str] | None]:
    """The line's text, and (offset in line, what is wrong) when it is not in ``encoding``
    (``foreign``: the first pass found it in the other encoding)."""
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
    if foreign:
        first = next(i for i, b in enumerate(body) if b >= 0x80)
        try:
            return body.decode("utf-8"), (first, "UTF-8 text, not " + encoding)
        except UnicodeDecodeError:  # a sequence the array check lets pass (an overlong form)
            pass
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
