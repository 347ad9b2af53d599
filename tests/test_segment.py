"""Foundation: ingest → normalize → segment on the five sample plans."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import policydiff
from policydiff.normalize import normalize

from .conftest import LC17, SAMPLES, SD17, SD17T, SD21, ZC20, assert_lossless


@pytest.fixture(scope="module")
def docs():
    return {p.name: policydiff.load(p) for p in SAMPLES}


def _paths(doc):
    return [it.path for it in doc.items]


def test_traditional_twin_gives_identical_outline_and_sentences(docs):
    a, b = docs[SD17.name], docs[SD17T.name]
    assert _paths(a) == _paths(b)
    assert [it.title for it in a.items] == [it.title for it in b.items]
    assert [s.text for s in a.sentences] == [s.text for s in b.sentences]


def test_liaocheng_follows_the_province_outline_item_for_item(docs):
    assert _paths(docs[SD17.name]) == _paths(docs[LC17.name])
    assert len(docs[SD17.name].items) == 50


def test_zichuan_items_1_to_14_under_four_parts_and_appendix_tasks(docs):
    doc = docs[ZC20.name]
    numbered = [it for it in doc.items if it.kind == "outline" and re.fullmatch(r"2\.\d\.\d+", it.path)]
    assert [it.path.split(".")[-1] for it in numbered] == [str(n) for n in range(1, 15)]
    assert sorted({it.path.split(".")[1] for it in numbered}) == ["1", "2", "3", "4"]
    assert doc.item(numbered[4].parent_id).path == "2.2"  # 5. sits under （二）, keeping its printed number
    tasks = [it for it in doc.items if it.kind == "table"]
    assert len(tasks) >= 40
    units = {u for it in tasks for s in doc.sentences_of(it.id) for u in s.responsible}
    assert {"区文旅局", "区农业农村局", "区扶贫办", "区发改局"} <= units
    culture = next(s for s in doc.sentences if s.text.startswith("文旅融合发展攻坚行动"))
    assert culture.responsible == ("区文旅局",)


def test_shandong_2021_numbers_its_paren_items_straight_through(docs):
    doc = docs[SD21.name]
    paren = [it for it in doc.items if it.number.startswith("（")]
    # The seed README says fifteen; the file prints （一）…（二十）, and paths follow the print.
    assert [it.path.split(".")[-1] for it in paren] == [str(n) for n in range(1, 21)]
    assert doc.item(paren[6].parent_id).path == "2"  # （七） opens part 二
    assert paren[0].title == "立足实施重大战略推进政务公开"


@pytest.mark.parametrize(
    "name, number, issuer, level, region, year",
    [
        (SD17.name, "鲁政办发〔2017〕39号", "山东省人民政府办公厅", "province", "山东省", 2017),
        (SD17T.name, "鲁政办发〔2017〕39号", "山东省人民政府办公厅", "province", "山东省", 2017),
        (LC17.name, "聊政办发〔2017〕9号", "聊城市人民政府办公室", "city", "聊城市", 2017),
        (ZC20.name, "川政办字〔2020〕58号", "淄川区人民政府办公室", "district", "淄川区", 2020),
        (SD21.name, "鲁政办发〔2021〕5号", "山东省人民政府办公厅", "province", "山东省", 2021),
    ],
)
def test_front_matter(docs, name, number, issuer, level, region, year):
    doc = docs[name]
    assert (doc.doc_number, doc.issuer, doc.level, doc.region, doc.year) == (number, issuer, level, region, year)
    assert doc.title.endswith("政务公开工作要点")


def test_footer_is_kept_out_of_the_body(docs):
    doc = docs[LC17.name]
    assert doc.footer.startswith("抄送：")
    assert not any("抄送" in s.text or "印发" == s.text[-2:] for s in doc.sentences)


def test_heading_and_body_on_one_line_are_split(docs):
    doc = docs[SD17.name]
    item = next(it for it in doc.items if it.path == "1.1.1")
    assert item.title == "加强财政政策、金融政策和就业创业政策信息公开"
    first = doc.sentences_of(item.id)
    assert first[0].text == "加强财政政策、金融政策和就业创业政策信息公开。"
    assert first[-1].responsible == ("省发展改革委", "省人力资源社会保障厅", "省财政厅", "省金融办", "人民银行济南分行")


def test_responsibility_note_in_mid_item_attaches_to_its_sentence(docs):
    doc = docs[SD17.name]
    s = next(s for s in doc.sentences if "河湖保护情况" in s.text)
    assert s.text.endswith("（省水利厅牵头落实）")
    assert s.responsible == ("省水利厅",)


def test_no_sentence_broken_by_pdf_line_breaks_or_merged_across_items(docs):
    for doc in docs.values():
        for s in doc.sentences:
            assert "\n" not in s.text, (doc.path, s.text)
            item = doc.item(s.item_id)
            assert item.span.start <= s.span.start and s.span.end <= item.span.end
    lc = docs[LC17.name]
    texts = [s.text for s in lc.sentences]
    assert any(t.startswith("围绕稳健中性的货币政策") and "加大货币和金融业改革发展政策的宣传和预期引导，" in t for t in texts)
    assert "深化行政许可事项目录、权责清单、公共服务事项目录公开。" in texts
    assert "2017年聊城市政务公开工作的总体要求是" in lc.sentences[0].text  # "2017 年" re-joined
    # every sentence of the city plan ends like a sentence (。；！？ or a closing bracket) or is a heading
    for s in lc.sentences:
        it = lc.item(s.item_id)
        assert s.text[-1] in "。；！？）”" or s.text.rstrip("。") == it.title, s.text


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_segmentation_is_lossless_on_samples(path):
    doc = policydiff.load(path)
    assert_lossless(doc)
    body = range(doc.body_span.start, doc.body_span.end)
    in_sentence = [0] * len(doc.text)
    for s in doc.sentences:
        for k in range(s.span.start, s.span.end):
            in_sentence[k] += 1
    # nothing but white space and numbering markers lies outside sentences
    # (table rows repeat their header cells on every page; those are context, not sentences)
    tables = [range(it.span.start, it.span.end) for it in doc.items if it.kind in ("table", "appendix")]
    outside = "".join(doc.text[k] for k in body if not in_sentence[k] and not any(k in t for t in tables))
    for it in doc.items:
        outside = outside.replace(it.number, "", 1)
    assert len(re.sub(r"\s", "", outside)) < 0.01 * len(doc.text)


def test_original_text_is_quotable_through_offsets():
    doc = policydiff.load(LC17)
    s = next(s for s in doc.sentences if s.text.startswith("2017年聊城市政务公开工作的总体要求是"))
    assert doc.original(s.span).startswith("2017 年聊城市政务公开工作的总体要求是")
    trad = policydiff.load(SD17T)
    t = trad.sentences[1]
    assert trad.original(t.span)[:4] == "以政務公"


def test_normalize_steps_are_named_and_switchable():
    clean = normalize("２０１７ 年（一）加強預期引導,好", skip={"traditional"})
    assert "traditional" not in clean.steps
    assert clean.text == "2017年（一）加強預期引導，好"
    assert len(clean.origin) == len(clean.text)


def test_plan_without_numbering_segments_into_paragraphs():
    doc = policydiff.parse("第一段说明工作。继续推进公开。\n\n第二段要求落实；确保完成。\n")
    assert [it.kind for it in doc.items] == ["paragraph", "paragraph"]
    assert [s.text for s in doc.sentences] == ["第一段说明工作。", "继续推进公开。", "第二段要求落实；", "确保完成。"]


def test_outline_cli_text_and_json(cli):
    res = cli("outline", ZC20)
    assert res.exit_code == 0
    assert "川政办字〔2020〕58号" in res.stdout and "2.4.14" in res.stdout and "区文旅局" in res.stdout
    res = cli("outline", SD17T, "--format", "json")
    data = json.loads(res.stdout)
    assert data["document"]["encoding"] == "utf-8"
    assert data["document"]["region"] == "山东省"
    assert [n["path"] for n in data["outline"]][:3] == ["0", "1", "2"]
    assert data["outline"][1]["children"][0]["children"][0]["path"] == "1.1.1"


def test_version_and_help(cli):
    assert cli("--version").stdout.startswith("policydiff, version")
    for cmd in ("outline",):
        res = cli(cmd, "--help")
        assert res.exit_code == 0 and "Usage" in res.stdout


def test_simplified_text_is_not_run_through_opencc():
    # OpenCC maps 乾 → 干 (乾燥 → 干燥); on simplified text that would corrupt 乾安县
    assert normalize("乾安县人民政府办公室关于印发通知").text == "乾安县人民政府办公室关于印发通知"
    assert normalize("乾安縣人民政府辦公室關於印發通知").text == "乾安县人民政府办公室关于印发通知"


def test_every_command_has_help_and_is_in_the_readme(cli):
    from policydiff.cli import main

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        res = cli(name, "--help")
        assert res.exit_code == 0 and "Usage:" in res.stdout
        assert f"policydiff {name} " in readme, name
