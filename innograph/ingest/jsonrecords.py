"""Streaming the records of JSON files, each with the line where it starts.

Three shapes are read with bounded memory: JSON Lines (one object per line: arXiv and S2ORC
snapshots, OpenAlex snapshot files), a JSON array of objects, and an API response that holds the
array under a key (`{"meta": ..., "results": [...]}` from OpenAlex, `{"patents": [...]}` from
PatentsView). A record that does not parse is yielded as a `RecordError` so the reader can
reject it and go on; a truncated array ends the file with one such error.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator

from innograph.errors import InputFormatError
from innograph.ingest.documents import RecordError, convert_records

LIST_KEYS = ("results", "patents", "works", "data", "records")
_BLOCK = 1 << 20
_MAX_RECORD = 64 << 20  # an array element longer than this is taken as malformed
_WRAPPER = re.compile(r'"(%s)"\s*:\s*\[' % "|".join(LIST_KEYS))
_decoder = json.JSONDecoder()


def _open(path):
    if not os.path.exists(path):
        raise InputFormatError(f"{path}: no such file.")
    if os.path.isdir(path):
        raise InputFormatError(f"{path}: is a directory, expected a JSON file.")
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _utf8(text: str) -> bool:
    """False when the text holds bytes that were not UTF-8 (kept as surrogates when read)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def json_shape(path) -> str:
    """`lines`, `array`, `wrapper` or `object` (one pretty-printed record) from the file's head."""
    with _open(path) as fh:
        head = fh.read(_BLOCK)
    text = head.lstrip()
    if not text:
        raise InputFormatError(f"{path}: the file is empty, expected JSON records.")
    if text[0] == "[":
        return "array"
    if text[0] != "{":
        raise InputFormatError(f"{path}: line 1 is not JSON (expected an object or an array).")
    first = text.split("\n", 1)[0]
    try:
        json.loads(first)
        return "lines"
    except json.JSONDecodeError:
        pass
    return "wrapper" if _WRAPPER.search(head) else "object"


def iter_json_records(path) -> Iterator[tuple[int, object]]:
    """Yield `(line, record)`; `record` is the parsed value or a RecordError for a broken one."""
    shape = json_shape(path)
    if shape == "lines":
        yield from _iter_lines(path)
    elif shape == "object":
        with _open(path) as fh:
            try:
                yield 1, json.load(fh)
            except json.JSONDecodeError as exc:
                yield 1, RecordError("json", f"malformed JSON ({exc.msg}, line {exc.lineno})", "")
    else:
        yield from _iter_array(path, shape == "wrapper")


def _iter_lines(path) -> Iterator[tuple[int, object]]:
    with _open(path) as fh:
        for number, text in enumerate(fh, 1):
            if not text.strip():
                continue
            if not _utf8(text):
                yield number, RecordError("json", "invalid UTF-8 bytes", text.strip())
                continue
            try:
                yield number, json.loads(text)
            except json.JSONDecodeError as exc:
                yield number, RecordError("json", f"malformed JSON ({exc.msg})", text.strip())


def _iter_array(path, wrapped: bool) -> Iterator[tuple[int, object]]:
    """Decode the elements of the first array (or of the array under a LIST_KEYS key).

    A malformed element ends the file: the rest of an array cannot be re-synchronised.
    """
    with _open(path) as fh:
        buf = fh.read(_BLOCK)
        eof = len(buf) < _BLOCK
        pos = _WRAPPER.search(buf).end() if wrapped else buf.index("[") + 1
        line, counted = 1, 0  # line number of buf[counted]

        def line_at(i: int) -> int:
            nonlocal line, counted
            line += buf.count("\n", counted, i)
            counted = i
            return line

        while True:
            while True:  # skip separators, reading more as needed
                while pos < len(buf) and buf[pos] in " \t\r\n,":
                    pos += 1
                if pos < len(buf) or eof:
                    break
                line_at(pos)
                buf, pos, counted = fh.read(_BLOCK), 0, 0
                eof = len(buf) < _BLOCK
            if pos >= len(buf):
                yield line_at(pos), RecordError("json", "truncated JSON: the array is not closed", "")
                return
            if buf[pos] == "]":
                return
            start = line_at(pos)
            while True:
                try:
                    value, end = _decoder.raw_decode(buf, pos)
                    break
                except json.JSONDecodeError as exc:
                    if eof or len(buf) - pos > _MAX_RECORD:
                        yield start, RecordError(
                            "json", f"malformed or truncated JSON ({exc.msg}); the rest of the file is not read",
                            buf[pos:pos + 500])
                        return
                    more = fh.read(_BLOCK)
                    eof = len(more) < _BLOCK
                    buf, pos, counted = buf[pos:] + more, 0, 0
            yield start, (value if _utf8(buf[pos:end]) else RecordError("json", "invalid UTF-8 bytes", buf[pos:pos + 500]))
            pos = end


def read_json_documents(path, to_document, what: str, rejects, stats, chunk_rows: int, progress=None,
                        records=None):
    """Chunks of documents of a JSON file: `to_document(obj, file, line)` per object record.

    Broken JSON and values that are not objects are rejected (`what` names the record kind in
    the reason); `records` replaces `iter_json_records(path)` for files with their own wrapper.
    """
    name = str(path)

    def convert(obj, line):
        if isinstance(obj, RecordError):
            raise obj
        if not isinstance(obj, dict):
            raise RecordError("json", f"{what} must be a JSON object", repr(obj)[:200])
        return to_document(obj, name, line)

    records = records if records is not None else iter_json_records(path)
    yield from convert_records(records, convert, name, rejects, stats, chunk_rows, progress)
