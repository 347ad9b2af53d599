"""Each failure class of real cross-level alignment, generated from a real document.

The base is the real 江西 若干措施 (numbered measures 1–25 with 「（责任单位：…）」 notes); each
test perturbs it the way real children do, and checks the engine recovers the change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import policydiff

LINEAGE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lineage"
BASE_PATH = LINEAGE / "province-jiangxi-2020-zhengfuxing-rongzi-danbao-ruogan-cuoshi.txt"
pytestmark = pytest.mark.skipif(not BASE_PATH.is_file(), reason="../shared/corpus not present")


@pytest.fixture(scope="module")
def base() -> str:
    return BASE_PATH.read_text(encoding="utf-8")


def _compare(parent: str, child: str, **kw):
    return policydiff.compare(policydiff.parse(parent), policydiff.parse(child), **kw)


def _pairs_of(cmp, start: str):
    return [p for p in cmp.pairs if p.parent is not None and p.parent.text.startswith(start)]




def test_distractor_made_of_frame_words_is_not_paired(base):
    # the child drops a clause and adds a new one in the same measure that shares only frame words
    m = re.search(r"各级政府性融资担保、再担保机构要在可持续经营的前提下[^。]*。", base)
    dropped = m.group(0)
    distractor = "各级政府性融资担保、再担保机构要进一步加强党的建设工作，切实落实全面从严治党主体责任。"
    cmp = _compare(base, base.replace(dropped, distractor))
    (p,) = _pairs_of(cmp, dropped[:20])
    assert p.relation == "dropped"
    assert [x.relation for x in cmp.pairs if x.child is not None and x.child.text.startswith(distractor)] == ["added"]


def test_rewritten_responsibility_note_is_a_changed_note_not_a_new_clause(base):
    old = "（责任单位：省财政厅、省金融监管局）"
    new = "（责任单位：省地方金融监督管理局、省财政厅、省发展改革委、省工业和信息化厅）"
    first = base.index(old)
    child = base[:first] + new + base[first + len(old):]
    cmp = _compare(base, child)
    assert cmp.summary["dropped"] == 0 and cmp.summary["added"] == 0
    changed = [p for p in cmp.pairs if p.note_change == "changed"]
    assert len(changed) == 1 and changed[0].relation == "copied"


def test_two_items_folded_into_one(base):
    # measures 1. and 2. become one numbered measure: no clause is lost
    child = re.sub(r"\n2\.加快发展市、县两级政府性融资担保机构。", "", base, count=1)
    cmp = _compare(base, child)
    assert cmp.summary["dropped"] <= 1  # the heading 加快发展… that the child no longer prints
    kept = [p for p in cmp.pairs if p.parent is not None and p.relation in ("copied", "localized")]
    assert len(kept) >= len(cmp.parent.sentences) - 2


def test_non_adjacent_sentences_merged(base):
    # a child clause made of two parent clauses that are not neighbours (one in between stays)
    doc = policydiff.parse(base)
    long = [s for s in doc.sentences if len(s.text) > 40 and not s.note]
    a, mid, b = long[3], long[4], long[5]
    assert doc.sentences.index(b) - doc.sentences.index(a) >= 2
    merged = a.text.rstrip("。") + "，" + b.text
    child = base.replace(b.text, "").replace(a.text, merged)
    cmp = _compare(base, child)
    pa, pb = _pairs_of(cmp, a.text[:20]), _pairs_of(cmp, b.text[:20])
    assert pa and pb and pa[0].child is not None and pb[0].child is not None
    assert pa[0].child.id == pb[0].child.id
    assert [p.relation for p in _pairs_of(cmp, mid.text[:20])] == ["copied"]


def test_condensed_sentence_is_adapted_not_dropped(base):
    m = re.search(r"各级人民政府要建立对政府性融资担保、再担保机构的资金补充机制[^。]*。", base)
    full = m.group(0)
    short = "各级人民政府要建立对政府性融资担保、再担保机构的资金补充机制。"
    cmp = _compare(base, base.replace(full, short))
    (p,) = _pairs_of(cmp, full[:20])
    assert p.relation == "adapted" and p.child is not None and p.child.text.startswith(short[:20])


def test_sentences_reordered_inside_an_item(base):
    m = re.search(r"(严格贷款流向管理[^。]*。)", base)
    first = re.search(r"银行业金融机构和政府性融资担保、再担保机构除收取贷款利息和担保费外[^。]*。", base).group(0)
    second = m.group(1)
    child = base.replace(first + second, second + first)
    assert child != base
    cmp = _compare(base, child)
    for s in (first, second):
        (p,) = _pairs_of(cmp, s[:20])
        assert p.relation == "copied"
    assert cmp.summary["dropped"] == 0 and cmp.summary["added"] == 0


def test_level_list_localized(base):
    old = "加快发展市、县两级政府性融资担保机构"
    assert old in base
    child = base.replace("市、县两级", "县、乡两级")
    cmp = _compare(base, child)
    (p,) = [x for x in _pairs_of(cmp, old) if x.child is not None]
    assert p.relation == "localized"


def test_evidence_is_typed_data(base):
    child = base.replace("切实支持", "大力支持", 1)
    cmp = _compare(base, child, thresholds=policydiff.Thresholds(sentence=0.5))
    p = next(x for x in cmp.pairs if x.relation == "copied")
    assert p.evidence.matched_by in ("outline", "reorder", "sequence", "rescue", "split", "merge")
    assert p.evidence.margin == pytest.approx(p.evidence.score - p.evidence.runner_up)
    row = next(x for x in cmp.to_dict()["pairs"] if x["relation"] == "copied")
    assert set(row["evidence"]) >= {"matched_by", "score", "runner_up", "margin", "content", "masked", "note"}


def test_rewritten_clause_moved_to_another_part_is_paired_on_its_rare_words(base):
    """A measure rewritten and moved to another part keeps only a few rare words (内部资金转移…定价优惠).

    Its score is far below the rescue passes', but the two clauses are each other's best counterpart
    by a margin: the mutual pass pairs them. A clause of frame words put in the same place is not paired.
    """
    m = re.search(r"鼓励银行业金融机构对小微企业、“三农”主体等融资担保业务，通过内部资金转移定价优惠[^。]*。", base)
    old = m.group(0)
    rewritten = "银行业金融机构要对支小支农融资担保业务实行内部资金转移定价优惠，并将执行情况纳入年度考核。"
    frame = "各级各部门要进一步提高认识，加强组织领导，确保各项工作落到实处。"
    moved = base.replace(old, "").replace("25.提升担保服务能力。", "25.提升担保服务能力。" + rewritten + frame)
    assert moved.count(rewritten) == 1 and old not in moved
    cmp = _compare(base, moved)
    (p,) = _pairs_of(cmp, old[:20])
    assert p.child is not None and p.child.text == rewritten
    assert p.relation == "adapted" and p.moved and p.evidence.matched_by == "mutual"
    assert p.evidence.margin != 0 and 0.2 <= p.evidence.content < 0.55
    (f,) = [x for x in cmp.pairs if x.child is not None and x.child.text == frame]
    assert f.parent is None and f.relation == "added"
    # without the pass the same clause is reported dropped (what the engine did before)
    before = _compare(base, moved, thresholds=policydiff.Thresholds(mutual=1.01))
    (q,) = _pairs_of(before, old[:20])
    assert q.child is None


HENAN_AIR = LINEAGE / "province-henan-2017-daqi-wuran-fangzhi-tiaoli.txt"
MEASURES = ("县级以上人民政府应当根据重污染天气预警等级，及时启动应急预案，根据应急需要采取责令有关企业停产或者限产、"
            "限制部分机动车行驶、停止工地土石方作业和建筑物拆除施工、停止幼儿园和学校组织的户外活动或者放假、"
            "组织开展人工影响天气作业等应急措施。")
AS_LIST = ("县级以上人民政府应当根据重污染天气预警等级，及时启动应急预案，根据应急需要可以采取下列应急措施：\n\n"
           "（一）责令有关企业停产或者限产；\n\n（二）限制部分机动车行驶；\n\n（三）实施大宗物料错峰运输；\n\n"
           "（四）停止工地土石方作业和建筑物拆除施工；\n\n（五）组织开展人工影响天气作业。")
LISTED = ("及时启动应急预案", "责令有关企业停产", "限制部分机动车", "停止工地土石方", "组织开展人工影响")


def test_a_sentence_of_measures_rewritten_as_a_lead_in_and_items():
    """河南 第六十三条 lists its measures in one sentence; 周口 第三十八条 turns it into a lead-in and
    numbered items, and adds one (实施大宗物料错峰运输). Every item the sentence contains is a split
    of it, the lead-in too; the new item is added. And the reverse, a list folded into a sentence."""
    text = HENAN_AIR.read_text(encoding="utf-8")
    assert MEASURES in text
    listed = text.replace(MEASURES, AS_LIST)
    cmp = _compare(text, listed)
    kids = {x.child.text: x for x in cmp.pairs if x.parent is not None and x.parent.text == MEASURES}
    assert all(any(w in c for c in kids) for w in LISTED), sorted(kids)
    assert all(x.relation == "adapted" for x in kids.values())
    assert [x.relation for x in cmp.pairs if x.child is not None and "大宗物料" in x.child.text] == ["added"]
    assert cmp.summary["added"] == 1 and cmp.summary["dropped"] == 0
    assert cmp.summary["moved"] == 0  # restructured where it stood: the items hang under the same article

    back = _compare(listed, text)
    went = [x.parent.text for x in back.pairs if x.child is not None and x.child.text == MEASURES]
    assert all(any(w in t for t in went) for w in LISTED), went
    assert [x.relation for x in back.pairs if x.parent is not None and "大宗物料" in x.parent.text] == ["dropped"]
    assert back.summary["moved"] == 0


def test_without_the_list_pass_the_items_are_lost():
    """The same rewrite, the list pass switched off (thresholds above 1): items are added clauses."""
    from policydiff.align import Thresholds

    text = HENAN_AIR.read_text(encoding="utf-8")
    cmp = _compare(text, text.replace(MEASURES, AS_LIST), thresholds=Thresholds(list_item=1.01, list_lead_in=1.01))
    assert cmp.summary["added"] > 1


SPLIT_PARENT = "在用机动车应当按照国家和本省有关规定定期进行机动车污染物排放检验，经检验合格方可上道路行驶。"
SPLIT_HALVES = ("在用机动车应当按照国家或者地方的有关规定，由机动车排放检验机构定期对其进行排放检验。", "经检验合格的，方可上道路行驶。")


def test_a_sentence_split_into_two_rewritten_halves():
    """河南 第四十二条's first sentence, split in two and reworded as 周口 did: the half that keeps few
    of the parent's words is judged against what the other half left of the parent, and pairs too.
    A new sentence put in its place instead (same frame: 在用机动车应当…) stays added."""
    from policydiff.align import Thresholds

    text = HENAN_AIR.read_text(encoding="utf-8")
    assert SPLIT_PARENT in text
    child = text.replace(SPLIT_PARENT, "".join(SPLIT_HALVES))
    took = {x.child.text: x for x in _compare(text, child).pairs if x.parent is not None
            and x.parent.text.startswith(SPLIT_PARENT) and x.child is not None}
    assert set(SPLIT_HALVES) <= set(took), sorted(took)
    assert any(took[h].evidence.matched_by == "split" for h in SPLIT_HALVES)
    off = _compare(text, child, thresholds=Thresholds(split_rest=1.01))
    assert [x.relation for x in off.pairs if x.child is not None and x.child.text == SPLIT_HALVES[0]] == ["added"]
    new = "在用机动车应当优先使用新能源动力，鼓励加快充电设施建设。"
    other = _compare(text, text.replace(SPLIT_PARENT, new + SPLIT_HALVES[1]))
    assert [x.relation for x in other.pairs if x.child is not None and x.child.text == new] == ["added"]


HENAN_CIVILITY = LINEAGE / "province-henan-2020-wenming-xingwei-cujin-tiaoli.txt"


def _article(text: str, label: str) -> str:
    m = re.search(rf"\n{label} [^\n]*\n(?:(?!\n第[一二三四五六七八九十]+条 )[\s\S])*", text)
    assert m, label
    return m.group(0)


def test_articles_moved_past_each_other_pair_with_their_own_lead_ins():
    """三门峡 moved 河南 文明行为促进条例's 生态环境 article before 文明出行 and put 网络 where 生态环境 stood.
    Taking the order of the longer run, the outline DP pairs 生态环境's lead-in with 网络's, on frame
    words (公民应当…，自觉遵守下列规定：, 0.65); each lead-in must pair with its own copy instead, and the
    articles' items follow. With the repair switched off the lead-ins cross (so this test can fail)."""
    from policydiff.align import Thresholds

    text = HENAN_CIVILITY.read_text(encoding="utf-8")
    eco, travel, net = (_article(text, n) for n in ("第十五条", "第十三条", "第十九条"))
    child = text.replace(net, "").replace(eco, net).replace(travel, eco + travel)
    leads = ("公民应当保护生态环境，自觉遵守下列规定：", "公民应当文明使用网络，自觉遵守下列规定：")

    def lead_pairs(cmp):
        return [(p.parent.text, p.child.text if p.child else None, p.relation) for p in cmp.pairs
                if p.parent is not None and p.parent.text in leads]

    cmp = _compare(text, child)
    assert sorted(lead_pairs(cmp)) == sorted((x, x, "copied") for x in leads)
    assert cmp.summary["copied"] == len(cmp.pairs) and cmp.summary["moved"] > 0
    off = _compare(text, child, thresholds=Thresholds(item_repair=10.0))
    assert any(c != p for p, c, _r in lead_pairs(off))


PENALTY_PARENT = """第一条 禁止在居民区露天焚烧沥青、油毡、橡胶、塑料、皮革、垃圾以及其他产生有毒有害烟尘和恶臭气体的物质。

第二条 重点排污单位应当按照规定如实向社会公开排放污染物的名称、排放方式、排放浓度和总量等环境信息。

第三条 违反本条例第一条规定的，由生态环境主管部门责令改正，处一万元以上五万元以下罚款。

第四条 违反本条例第二条规定的，由生态环境主管部门责令改正，处二万元以上十万元以下罚款。
"""
PENALTY_CHILD = """第一条 重点排污单位应当依法如实公开主要污染物的名称、排放方式、排放浓度和总量等排放信息。

第二条 违反本条例第一条规定的，由生态环境主管部门责令改正，处一万元以上五万元以下罚款。
"""


def test_a_penalty_pairs_with_the_penalty_of_the_duty_it_cites():
    """Penalty articles read alike; the article each cites says which duty it punishes. The child
    dropped the parent's 第一条 (焚烧沥青) and its penalty 第三条, and renumbered: its 第二条 punishes its
    第一条, the parent's 第二条 (公开环境信息), so it is the parent's 第四条 rewritten, not the parent's
    第三条 whose text it repeats word for word. Without the references the identical text wins."""
    from policydiff.align import Thresholds

    cmp = _compare(PENALTY_PARENT, PENALTY_CHILD)
    penalty = PENALTY_CHILD.split("第二条 ")[1].strip()
    (got,) = [p for p in cmp.pairs if p.child is not None and p.child.text == penalty]
    assert got.parent is not None and got.parent.text.startswith("违反本条例第二条规定") and got.relation == "adapted"
    assert [p.relation for p in cmp.pairs if p.parent is not None and p.parent.text.startswith("违反本条例第一条")] \
        == ["dropped"]
    off = _compare(PENALTY_PARENT, PENALTY_CHILD, thresholds=Thresholds(references=False))
    (plain,) = [p for p in off.pairs if p.child is not None and p.child.text == penalty]
    assert plain.relation == "copied" and plain.parent.text.startswith("违反本条例第一条规定")


def test_article_references_are_read_from_the_rules():
    from policydiff.citations import article_number, article_refs

    assert article_refs("违反本条例第十八条第一款、第二款规定，排放工业废气的") == {18}
    assert article_refs("违反本条例第十条、第十二条规定的，由公安机关处警告") == {10, 12}
    assert article_refs("依照本办法第三十五条第一款规定的") == {35}
    assert article_refs("违反本条例规定，有下列行为之一的") == set()
    assert article_refs("依照《中华人民共和国大气污染防治法》第九十九条的规定处罚") == set()  # another law's article
    assert (article_number("第二十七条"), article_number("（一）")) == (27, None)


def test_a_repeated_closing_item_goes_with_its_own_list():
    """Every list of 河南 文明行为促进条例 closes with the same item, 法律、法规的其他规定。 Moved with its
    article (生态环境 before 文明出行, as 三门峡 did), that item matches all its copies alike; it must pair
    with the copy in its own list's counterpart. Switched off, the copies cross between lists."""
    from policydiff.align import Thresholds

    text = HENAN_CIVILITY.read_text(encoding="utf-8")
    eco, travel = _article(text, "第十五条"), _article(text, "第十三条")
    child = text.replace(eco, "").replace(travel, eco + travel)
    parent_doc, child_doc = policydiff.parse(text), policydiff.parse(child)

    def crossed(**kw):
        cmp = policydiff.compare(parent_doc, child_doc, **kw)

        def lead(doc, s):
            items = {it.id: it for it in doc.items}
            return items[items[s.item_id].parent_id].body

        closing = [p for p in cmp.pairs if p.parent is not None and p.parent.text == "法律、法规的其他规定。"]
        assert len(closing) >= 7 and all(p.relation == "copied" for p in closing)
        return [p for p in closing if lead(parent_doc, p.parent) != lead(child_doc, p.child)]

    assert crossed() == []
    assert crossed(thresholds=Thresholds(follow_leads=False))


SHANDONG_AIR = LINEAGE / "province-shandong-2018-daqi-wuran-fangzhi-tiaoli.txt"
STRAW, LEAVES = "禁止露天焚烧秸秆。", "禁止在城市建成区和县级以上人民政府划定的区域内露天焚烧树枝、落叶等产生烟尘污染的物质。"
BURNING = "禁止露天焚烧秸秆、树枝、枯草、落叶等产生烟尘污染的物质。"


def test_two_sentences_of_different_articles_merged_into_one():
    """山东 大气 2018 bans burning straw in one article and burning leaves in the city in another; 临沂
    2020 says both in one sentence. The straw clause pairs on its own; the leaves clause, reworded, is
    what the child sentence says besides it, so it is merged there too, not dropped. Off (split_rest
    above 1), it is dropped."""
    from policydiff.align import Thresholds

    text = SHANDONG_AIR.read_text(encoding="utf-8")
    assert text.count(STRAW) == 1 and text.count(LEAVES) == 1
    child = text.replace(STRAW, BURNING).replace(LEAVES, "")

    def went(cmp):
        return [(p.relation, p.evidence.matched_by) for p in cmp.pairs
                if p.parent is not None and p.parent.text == LEAVES.rstrip("。") + "。"]

    cmp = _compare(text, child)
    assert went(cmp) == [("adapted", "merge")]
    assert [p.child.text for p in cmp.pairs if p.parent is not None and p.parent.text == STRAW] == [BURNING]
    assert went(_compare(text, child, thresholds=Thresholds(split_rest=1.01))) == [("dropped", "unmatched")]


def test_a_sentence_sharing_only_frame_words_is_not_merged_as_a_rest(cli):
    """data/: 山东 2017 → 2021, through the CLI. The 2021 plan has no 扶贫 at all; 加大扶贫信息公开力度 is
    dropped, not merged into 加大实施质量强省和品牌战略信息公开力度 as the rest of it (they share the frame
    加大…信息公开力度 only). The first version of align._rest_elsewhere merged them; it now wants shared
    content too."""
    import json

    data = Path(__file__).resolve().parents[1] / "data"
    assert "扶贫" not in (data / "shandong-2021-province.txt").read_text(encoding="utf-8")
    res = cli("compare", data / "shandong-2017-province.txt", data / "shandong-2021-province.txt", "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert [p["relation"] for p in json.loads(res.stdout)["pairs"]
            if p["parent"] and p["parent"]["text"] == "加大扶贫信息公开力度。"] == ["dropped"]
