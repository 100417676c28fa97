"""Made-up names, places and numbers. None is a real person's."""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘杨黄赵周徐孙朱胡郭何高林罗郑梁谢宋唐许韩冯邓彭曾肖田董潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN_ONE = "伟芳娜敏静丽强磊军洋勇艳杰涛明超霞平刚华斌鹏琳颖宁波健慧莉婷雪梅兰英凤珍玲"
GIVEN_TWO = (
    "建国",
    "建华",
    "玉兰",
    "淑珍",
    "秀兰",
    "凤英",
    "国强",
    "志强",
    "德明",
    "春梅",
    "海燕",
    "桂英",
    "秀英",
    "文华",
    "卫东",
    "红梅",
    "志刚",
    "丽华",
    "永福",
    "金花",
    "学军",
    "素芬",
    "晓东",
    "雅琴",
    "宏伟",
    "俊杰",
    "嘉怡",
    "思远",
    "欣怡",
    "浩然",
    "梓涵",
    "一鸣",
)
# Names as common among Tibetan families in the region: two parts.
TIBETAN_FIRST = ("扎西", "索南", "多杰", "拉毛", "德吉", "尼玛", "旦增", "桑杰")
TIBETAN_SECOND = ("措", "吉", "加", "本", "太", "草", "东智", "旦周")

COMPOUNDS = (
    "五四大街76号院",
    "新宁路11号院",
    "新宁花苑",
    "胜利路42号院",
    "西关大街18号院",
    "昆仑路9号院",
    "文汇路23号院",
    "海晏路5号院",
    "兴海路33号院",
    "五四西路60号院",
    "冷湖路7号院",
    "青年巷15号院",
    "长青苑",
    "丽景花园",
    "安居小区",
    "和平巷8号院",
    "交通巷3号院",
)
STREETS = ("新华路", "安宁路", "朝阳路", "建设巷", "黄河路", "湟水路", "柴达木路", "通海路")


def person_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(TIBETAN_FIRST) + rng.choice(TIBETAN_SECOND)
    surname = rng.choice(SURNAMES)
    if roll < 0.45:
        return surname + rng.choice(GIVEN_ONE)
    return surname + rng.choice(GIVEN_TWO)


def compound_name(index: int) -> str:
    if index < len(COMPOUNDS):
        return COMPOUNDS[index]
    street = STREETS[index % len(STREETS)]
    return f"{street}{index + 1}号院"


def mobile(rng: random.Random) -> str:
    """A made-up mobile number in E.164 (the 1380000xxxx-style block)."""
    return f"+86{rng.choice(('139', '138', '150', '186', '177'))}0000{rng.randrange(10000):04d}"


def landline(rng: random.Random) -> str:
    return f"+86971{rng.choice('5678')}00{rng.randrange(10000):04d}"
