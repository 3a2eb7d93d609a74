"""Publishing by atomic rename: readers keep a consistent view; a failure keeps the last file."""

import duckdb
import pytest

from flows.errors import UserError
from flows.warehouse import publishing, read_only, writer_lock


def _write(path, value):
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table t as select ? as v", [value])


def test_reader_open_during_publish_keeps_old_state(tmp_path):
    live = tmp_path / "w.duckdb"
    with publishing(live) as staging:
        _write(staging, 1)
    with read_only(live) as reader:
        with publishing(live) as staging:
            _write(staging, 2)
        assert reader.execute("select v from t").fetchone() == (1,)
    with read_only(live) as reader:
        assert reader.execute("select v from t").fetchone() == (2,)


def test_failed_write_leaves_last_good_file(tmp_path):
    live = tmp_path / "w.duckdb"
    with publishing(live) as staging:
        _write(staging, 1)
    with pytest.raises(RuntimeError), publishing(live) as staging:
        _write(staging, 99)
        raise RuntimeError("build failed")
    with read_only(live) as reader:
        assert reader.execute("select v from t").fetchone() == (1,)
    assert not list(tmp_path.glob(".w.duckdb.building*"))


def test_second_writer_is_refused(tmp_path):
    live = tmp_path / "w.duckdb"
    with writer_lock(live), pytest.raises(UserError, match="already writing"):
        with writer_lock(live):
            pass


@pytest.mark.parametrize("opener", ["read", "write"])
def test_a_csv_given_as_the_warehouse_is_one_sentence(tmp_path, opener):
    export = tmp_path / "orders.csv"
    export.write_text("order_id,sku_id\nO1,S1\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"orders\.csv is not a DuckDB warehouse file"):
        if opener == "read":
            with read_only(export):
                pass
        else:
            with publishing(export):
                pass
    assert export.read_text(encoding="utf-8").startswith("order_id")  # left as it was
