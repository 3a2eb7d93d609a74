"""Segmentation: fixed sentences give the expected terms; the domain words stay whole."""

from __future__ import annotations

import duckdb
import pytest

from flows.text.segment import (
    PRODUCT_WORDS,
    Segmenter,
    default_segmenter,
    read_domain_dictionary,
)
from flows.text.store import segment_new_descriptions

SENTENCES = [
    ("T恤洗一次就严重掉色", ["t恤", "掉色"]),
    ("收纳箱外壳裂开", ["收纳箱", "外壳", "裂开"]),
    ("毛衣穿了两次就起球", ["毛衣", "起球"]),
    ("电热水壶漏电！", ["电热水壶", "漏电"]),
    ("换了供应商后纸尿裤有股刺鼻的异味", ["供应商", "纸尿裤", "刺鼻", "异味"]),
    ("快递送到时外箱已经压坏，电饭煲摔碎了", ["快递", "送到", "外箱", "压坏", "电饭煲", "摔碎"]),
    ("包裹破损严重", ["包裹", "破损"]),
    ("怀疑收到的是假货，防伪码查不到", ["怀疑", "假货", "防伪码", "查不到"]),
    # masked phone numbers, order numbers and amounts are never terms
    ("面霜用完过敏起疹子，请联系我138****5678", ["面霜", "过敏", "起疹子"]),
    ("订单123456退款99元", ["订单", "退款"]),
    (
        "The jacket color faded after one wash, I want a refund.",
        ["jacket", "color", "faded", "wash", "refund"],
    ),
    (
        "Box arrived CRUSHED and the kettle doesn't work",
        ["box", "arrived", "crushed", "kettle", "work"],
    ),
    (
        "蓝牙耳机 keeps disconnecting 连接经常断开",
        ["蓝牙耳机", "keeps", "disconnecting", "连接", "经常", "断开"],
    ),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences_give_expected_terms(text, expected):
    assert default_segmenter().terms(text) == expected


def test_many_texts_segment_each_distinct_text_once(monkeypatch):
    segmenter = default_segmenter()
    seen: list[str | None] = []
    terms = segmenter.terms

    def counted(text):
        seen.append(text)
        return terms(text)

    monkeypatch.setattr(segmenter, "terms", counted)
    texts = [text for text, _ in SENTENCES] * 3 + [None, None]
    result = segmenter.segment_many(texts)
    assert result == [terms(text) for text in texts]
    assert sorted(seen, key=str) == sorted({*texts}, key=str)
    result[0].append("changed")  # each text has its own list
    assert result[len(SENTENCES)] == SENTENCES[0][1]


def test_every_domain_word_is_one_term():
    segmenter = default_segmenter()
    for word in [*read_domain_dictionary(), *read_domain_dictionary(PRODUCT_WORDS)]:
        assert segmenter.terms(word) == [word.lower()], word


def test_version_changes_with_the_lexicon(tmp_path):
    stop = tmp_path / "stop.txt"
    stop.write_text("的\n", encoding="utf-8")
    other = Segmenter(stopwords=stop)
    assert other.version != default_segmenter().version
    assert "的" not in other.terms("质量的问题")


def test_segmentation_is_incremental():
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.complaints (complaint_id varchar, description varchar)")
    con.execute(
        "insert into raw.complaints values ('C1', 'T恤洗一次就严重掉色'), "
        "('C2', 'T恤洗一次就严重掉色'), ('C3', '包裹破损严重'), ('C4', null)"
    )
    first = segment_new_descriptions(con)
    assert (first.new_descriptions, first.terms_written) == (2, 4)
    assert segment_new_descriptions(con).new_descriptions == 0
    con.execute("insert into raw.complaints values ('C5', '电热水壶漏电')")
    assert segment_new_descriptions(con).new_descriptions == 1
    terms = con.execute(
        "select c.complaint_id, t.term from raw.complaints c "
        "join meta.description_terms t on md5(c.description) = t.description_hash "
        "order by 1, t.position"
    ).fetchall()
    assert terms == [
        ("C1", "t恤"), ("C1", "掉色"), ("C2", "t恤"), ("C2", "掉色"),
        ("C3", "包裹"), ("C3", "破损"), ("C5", "电热水壶"), ("C5", "漏电"),
    ]  # fmt: skip


def test_a_new_segmenter_version_resegments(tmp_path):
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.complaints (description varchar)")
    con.execute("insert into raw.complaints values ('质量的问题')")
    segment_new_descriptions(con)
    stop = tmp_path / "stop.txt"
    stop.write_text("问题\n", encoding="utf-8")
    again = segment_new_descriptions(con, Segmenter(stopwords=stop))
    assert again.resegmented and again.new_descriptions == 1
    assert con.execute("select term from meta.description_terms").fetchall() == [("质量",)]


def test_a_warehouse_without_complaints_gets_empty_term_tables():
    con = duckdb.connect()
    assert segment_new_descriptions(con).new_descriptions == 0
    assert con.execute("select count(*) from meta.description_terms").fetchone() == (0,)
