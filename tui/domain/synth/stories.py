"""What residents come with and what staff write down: made-up text per category."""

from __future__ import annotations

import random

# category code -> (weight, request templates, on-the-spot outcomes)
STORIES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    "elderly_subsidy": (
        25,
        (
            "本季度高龄补贴审核认证，人脸识别需协助",
            "老人行动不便，家属代为咨询认证流程",
            "认证多次失败，需要重新采集照片",
        ),
        ("已现场协助完成人脸认证", "已登记，安排网格员上门认证"),
    ),
    "one_child": (
        5,
        ("咨询独生子女费发放时间和标准", "独生子女证遗失，询问补办"),
        ("已解答发放政策并发放宣传单", "已告知补办所需材料"),
    ),
    "unemployment": (
        5,
        ("办理就业失业登记证审核", "咨询失业登记需要的材料"),
        ("已现场审核材料", "已告知办理流程"),
    ),
    "job_assist": (
        4,
        ("家中有就业困难人员，希望推荐公益性岗位", "咨询就业援助和技能培训"),
        ("已登记求职意向",),
    ),
    "insurance": (
        4,
        ("咨询老年人意外保险的保险责任和理赔", "想了解投保方式和保险期限"),
        ("已讲解保险条款",),
    ),
    "errand": (
        8,
        ("请社区代办居住证明", "代为办理医保卡信息变更", "代取社保材料"),
        ("已代为提交材料",),
    ),
    "micro_wish": (
        3,
        ("困难家庭希望为孩子添置书桌", "独居老人希望有人帮忙换灯泡"),
        ("已记录微心愿",),
    ),
    "repair": (
        12,
        (
            "{b}号楼{u}单元下水道堵塞，卫生间往上冒水",
            "暖气不热，室温偏低",
            "楼道灯损坏，晚上看不清台阶",
            "院内危墙需要拆除",
        ),
        ("已联系物业水暖工现场疏通",),
    ),
    "noise": (6, ("楼上夜间装修噪音扰民", "{b}号楼楼下商铺音响声音太大"), ("已现场劝导",)),
    "sanitation": (
        6,
        ("物业卫生打扫不彻底，垃圾堆放", "楼道堆放杂物，存在消防隐患"),
        ("已通知物业清理",),
    ),
    "pets": (
        5,
        ("楼上住户遛狗不牵绳，楼道里有狗的粪便", "流浪狗在院内聚集，老人害怕"),
        ("已劝导养犬户文明养犬",),
    ),
    "legal": (
        6,
        ("咨询遗嘱订立的法律效力", "子女不尽赡养义务，想了解法律途径", "家庭财产分割问题咨询"),
        ("法律工作者已现场解答",),
    ),
    "dispute": (
        4,
        ("邻里因漏水产生纠纷，希望社区调解", "因停车位与邻居发生矛盾"),
        ("已现场调解，双方达成一致",),
    ),
    "other": (7, ("询问社区活动时间", "反映院内路面积水", "建议增加健身器材"), ("已答复",)),
}

REPLIES = ("已电话告知处理结果", "已上门告知", "下次流动服务时当面告知")
OVERRIDE_REASONS = ("居民情况特殊，需要后续跟进", "现场即可解决", "需要上级部门协调")


def pick_category(rng: random.Random) -> str:
    codes = list(STORIES)
    return rng.choices(codes, weights=[STORIES[c][0] for c in codes])[0]


def request_text(rng: random.Random, code: str, building: str, unit: str) -> str:
    return rng.choice(STORIES[code][1]).format(b=building or "1", u=unit or "1")


def outcome_text(rng: random.Random, code: str) -> str:
    return rng.choice(STORIES[code][2])


# What residents ask the next session at their compound to bring.
NEXT_SESSION_REQUESTS = (
    "请法律工作者下次一起来，几户想咨询遗嘱和赡养问题",
    "希望下次带上独生子女证补办表格",
    "希望社保专员下次到场，解答医保转移",
    "请物业经理下次到场，当面说明暖气维修安排",
    "几位老人希望下次现场协助高龄补贴认证",
    "希望下次带血压计，为老人量血压",
    "请派出所民警下次到场，讲解防诈骗",
    "希望下次带上就业培训报名表",
)
