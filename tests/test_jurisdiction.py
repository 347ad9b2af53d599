"""Jurisdiction masking at every level: each pattern the real documents use, as a pair that must
mask equal (a localization) or stay apart (a real change)."""

from __future__ import annotations

import pytest

import policydiff
from policydiff.classify import relation_of
from policydiff.jurisdiction import mask

LOCALIZED = [
    # national → province
    ("全国", "全省"),
    ("国务院各部门要加强协调", "省政府各部门要加强协调"),
    ("国务院有关部门", "省人民政府有关部门"),
    ("按照国家有关规定执行", "按照省有关规定执行"),
    ("推动信息在信用中国网站公示", "推动信息在信用福建网站公示"),
    ("在中国政府网公开", "在福建省政府网站公开"),
    ("认真落实党中央决策部署", "认真落实省委决策部署"),
    # province → city → district → town
    ("区委、区政府", "镇党委、镇政府"),
    ("各镇（街道、开发区）要落实", "各村（社区）要落实"),
    ("17市要建立台账", "各县市区要建立台账"),
    ("各设区市人民政府负责", "各县（市、区）人民政府负责"),
    # shifted lists of levels
    ("建立省、市、县联动机制", "建立市、县、乡联动机制"),
    ("省市县三级政务服务", "市县乡三级政务服务"),
    # a bare level character before a noun, and before 级
    ("研究出台山东省公共资源交易目录", "研究出台市公共资源交易目录"),
    ("加大省级教育督导报告发布力度", "加大市级教育督导报告发布力度"),
    # agency abbreviations and endings
    ("省发展改革委牵头", "市发改委牵头"),
    ("省人力资源社会保障厅", "市人社局"),
    ("省市场监督管理局", "市市场监管局"),
    ("工业和信息化部", "工信部"),
]

DIFFERENT = [
    ("加强市场监管", "加强县场监管"),  # 市场 is a word, not a level
    ("城市更新", "城县更新"),
    ("全国", "全面"),
    ("省财政厅牵头", "省教育厅牵头"),  # another agency is a real change
    ("建设社区服务中心", "建设镇区服务中心"),
]


@pytest.mark.parametrize("parent,child", LOCALIZED)
def test_localized_pairs_mask_equal(parent, child):
    assert mask(parent) == mask(child)


@pytest.mark.parametrize("parent,child", DIFFERENT)
def test_real_changes_stay_apart(parent, child):
    assert mask(parent) != mask(child)


def test_localized_clause_with_a_localized_note_is_localized():
    parent = policydiff.parse("某省要点\n一、推进公开\n（一）研究出台山东省公共资源交易目录，推动信息公开。（省发展改革委牵头）\n")
    child = policydiff.parse("某市要点\n一、推进公开\n（一）研究出台市公共资源交易目录，推动信息公开。（市发改委牵头）\n")
    (p,) = [s for s in parent.sentences if "目录" in s.text]
    (c,) = [s for s in child.sentences if "目录" in s.text]
    assert relation_of(p, c) == "localized"
    cmp = policydiff.compare(parent, child)
    (pair,) = [x for x in cmp.pairs if x.parent is p]
    assert pair.relation == "localized"
    resp = [x for x in cmp.to_dict()["pairs"] if x["parent"] and x["parent"]["id"] == p.id][0]["responsible"]
    assert resp == {"parent": {"lead": ["省发展改革委"], "support": []},
                    "child": {"lead": ["市发改委"], "support": []}, "relation": "localized"}


def _clause(text: str):
    (s,) = policydiff.parse(f"某条例\n第一条 {text}\n").sentences
    return s


# Clauses of real laws (河南 2017, 山东 2018, 大气污染防治法, 优化营商环境条例) and the cities' rewrites of them
# (周口, 临沂, 东营, 驻马店): a law names the levels of government it addresses, a city names its own.
LEVEL_CHANGES = [
    ("各级人民政府应当对本行政区域内的大气环境质量负责。", "市、县（市、区）人民政府应当对本行政区域内的大气环境质量负责。"),
    ("城市人民政府可以根据大气环境质量状况，划定并公布禁止使用高排放非道路移动机械的区域。",
     "市、县（区）人民政府可以根据大气环境质量状况，划定并公布禁止使用高排放非道路移动机械的区域。"),
    ("省、设区的市人民政府生态环境主管部门、气象主管机构应当建立重污染天气监测预警和会商机制。",
     "市人民政府生态环境主管部门、气象主管机构应当建立重污染天气监测预警和会商机制。"),
    ("已建成的，应当在城市人民政府规定的期限内改用天然气。", "已建成的，应当在省辖市、县（市）人民政府规定的期限内改用天然气。"),
    ("县级以上人民政府其他有关部门应当按照各自职责，做好优化营商环境相关工作。",
     "市、县（区）人民政府其他有关部门应当按照各自职责，做好优化营商环境相关工作。"),
    ("各县（市）人民政府要建立台账。", "各县（市、区）人民政府要建立台账。"),
    ("省人民政府对各省辖市大气环境改善目标完成情况实施考核。",  # 河南 2017 → 安阳 2019
     "市人民政府对县（市、区）大气环境改善目标完成情况实施考核。"),
    ("县级以上精神文明建设指导委员会及其办事机构应当将文明行为促进情况作为评选标准。",  # 河南 → 平顶山
     "市、县（市、区）精神文明建设指导委员会及其办事机构应当将文明行为促进情况作为评选标准。"),
]

# The same words next to a real change: a level list must not swallow what follows it.
NOT_LEVEL_CHANGES = [
    ("城市人民政府应当加强道路保洁。", "城市管理部门应当加强道路保洁。"),
    ("省、设区的市人民政府生态环境主管部门负责监督。", "省、设区的市人民政府公安机关交通管理部门负责监督。"),
    ("市、县（市、区）人民政府应当划定禁燃区。", "市、县（市、区）人民政府应当划定限行区。"),
    # 临沂's reader calls this adapted: the rules it follows are no longer named
    ("按照国家和省规定执行错峰生产管理的行业企业，应当调整生产。", "按照规定执行错峰生产管理的行业企业，应当调整生产。"),
]


@pytest.mark.parametrize("parent,child", LEVEL_CHANGES)
def test_a_change_of_government_level_is_localized(parent, child):
    assert relation_of(_clause(parent), _clause(child)) == "localized"


@pytest.mark.parametrize("parent,child", NOT_LEVEL_CHANGES)
def test_a_real_change_beside_a_level_stays_adapted(parent, child):
    assert relation_of(_clause(parent), _clause(child)) == "adapted"
