"""Work-directory IO of the stages: opening the documents table, atomic Parquet, resumable parts."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from innograph.errors import InnographError, InputFormatError
from innograph.ingest.pipeline import ingest
from innograph.models.parts import PartStore, open_documents, write_parquet_atomic


def test_open_documents_of_a_real_ingest(shared_data, tmp_path):
    ingest([shared_data / "patents" / "patentsview_baseball.csv"], tmp_path / "work", progress=False)
    pf = open_documents(tmp_path / "work" / "documents.parquet", required=("id", "kind", "title", "abstract"))
    assert pf.metadata.num_rows == 2664  # SOURCES.md: 2,664 baseball grants, none merged away


def test_open_documents_errors_name_the_file(tmp_path):
    with pytest.raises(InputFormatError, match=r"nope\.parquet: no such file"):
        open_documents(tmp_path / "nope.parquet")
    text = tmp_path / "docs.parquet"
    text.write_text("id,title\n1,x\n")
    with pytest.raises(InputFormatError, match=r"docs\.parquet: not a Parquet file"):
        open_documents(text)
    write_parquet_atomic(pd.DataFrame({"id": ["a"]}), tmp_path / "ids.parquet")
    with pytest.raises(InputFormatError, match=r"ids\.parquet: the documents table lacks column\(s\) kind, title \(make it with `innograph ingest"):
        open_documents(tmp_path / "ids.parquet", required=("id", "kind", "title"))


def test_write_parquet_atomic_leaves_no_temp_file(tmp_path):
    out = tmp_path / "sub" / "t.parquet"
    write_parquet_atomic(pd.DataFrame({"id": ["a", "b"], "x": [1, 2]}), out)
    assert pd.read_parquet(out)["x"].tolist() == [1, 2]
    assert sorted(p.name for p in out.parent.iterdir()) == ["t.parquet"]


def test_part_store_refuses_other_settings_and_concatenates_in_order(tmp_path):
    schema = pa.schema([("i", pa.int64())])
    store = PartStore(tmp_path / "parts", {"chunk_rows": 2})
    store.write(1, pa.table({"i": [2, 3]}, schema=schema))
    with pytest.raises(InnographError, match=r"parts \[0\] are missing"):
        store.concat(tmp_path / "out.parquet", schema, 2)
    store.write(0, pa.table({"i": [0, 1]}, schema=schema))
    assert store.concat(tmp_path / "out.parquet", schema, 2) == 4
    assert pd.read_parquet(tmp_path / "out.parquet")["i"].tolist() == [0, 1, 2, 3]
    with pytest.raises(InnographError, match="other settings"):
        PartStore(tmp_path / "parts", {"chunk_rows": 3})
    assert PartStore(tmp_path / "parts", {"chunk_rows": 2}).done(1)  # same settings: resumes
