"""Buyers' complaint texts: templates with slots by issue and category, some messy on purpose.

Some texts carry commas, quotes and line breaks (CSV quoting must cope), and a few carry the
buyer's phone number (the ingest must mask it).
"""

from __future__ import annotations

import numpy as np

OPENERS = ["", "", "", "客服你好，", "你好，", "请尽快处理！", "第二次反映了，", "麻烦看一下，"]
TEMPLATES: dict[str, list[str]] = {
    "quality_defect": [
        "收到的{l2}用了{days}天就坏了，{symptom}，要求退货退款",
        "{l2}质量太差，{symptom}，和页面描述的完全不一样",
        "刚拆开的{l2}就{symptom}，这是新品吗？",
        "买的“{name}”{symptom}，联系商家一直推脱",
        "{l2}{symptom}，\n希望平台介入处理",
    ],
    "cosmetic_flaw": [
        "{l2}外观有划痕，边角还有污渍，影响使用心情",
        "收到的{l2}有明显瑕疵，{flaw}，要求换货",
        "{l2}颜色和图片差很多，{flaw}",
        "包装完好但{l2}本身{flaw}，像是退回的二手货",
    ],
    "counterfeit": [
        "怀疑收到的是假货，{l2}做工粗糙，防伪码查不到",
        '这个"{brand}"是正品吗？和专柜的对比差别很大',
        "{l2}的防伪标签是贴上去的，气味也不对，要求假一赔三",
    ],
    "transport_damage": [
        "快递送到时外箱已经压坏，{l2}{damage}",
        "{carrier}送来的包裹破损严重，里面的{l2}{damage}",
        "物流太粗暴了，{l2}{damage}，\n签收时没来得及验货",
    ],
    "misuse": [
        "{l2}按说明用了几次就不行了，不知道是不是我操作有问题",
        "孩子不小心把{l2}摔了一下就坏了，能保修吗",
        "{l2}进水后无法使用，申请维修",
    ],
    "misunderstanding": [
        "{l2}尺寸和我想的不一样，能退吗",
        "以为{l2}是两件装，结果只有一件，页面写得不清楚",
        "{l2}的功能和宣传的不太一样，{wish}",
        "不知道{l2}要另外买配件，感觉被误导了",
    ],
    "other": [
        "发票一直没开，催了好几次",
        "说好的赠品没有收到，{wish}",
        "订单显示已签收但我没收到{l2}",
        "客服态度很差，问题一直没人解决",
    ],
}
SYMPTOMS = {
    "家用电器": ["通电后没反应", "工作时有很大的异响", "用的时候有焦糊味", "按键失灵"],
    "数码3C": ["充不进电", "连接经常断开", "接口松动接触不良", "发热严重"],
    "服饰鞋包": ["开线掉扣子", "洗一次就严重掉色", "拉链坏了", "做工粗糙线头很多"],
    "美妆个护": ["用完脸上过敏起疹子", "有股怪味", "质地和以前买的不一样", "包装漏了一半"],
    "食品生鲜": ["有异味疑似变质", "里面有异物", "包装漏气发霉", "离保质期只有几天"],
    "母婴玩具": ["有刺鼻气味", "零件松动有安全隐患", "边缘毛刺会划手", "卡扣一用就断"],
    "家居家装": ["做工粗糙", "有刺鼻气味", "用了几天就坏了", "配件缺失装不上"],
}
FLAWS = ["表面有划痕", "有色差", "有污渍", "有小气泡", "线头很多"]
DAMAGES = ["摔碎了", "外壳裂开", "严重变形", "漏液了"]
WISHES = ["希望给个说法", "要求补偿", "请商家尽快回复", "不满意要退款"]


def fake_phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """Format-valid but clearly fake mobile numbers: 1[3-9]x 0000 xxxx."""
    second = rng.integers(3, 10, n)
    third = rng.integers(0, 10, n)
    tail = rng.integers(0, 10000, n)
    return np.array([f"1{a}{b}0000{c:04d}" for a, b, c in zip(second, third, tail, strict=True)])


def describe(
    rng: np.random.Generator,
    issues: np.ndarray,
    categories: list[str],
    l2: list[str],
    names: list[str],
    brands: list[str],
    carriers: list[str],
    phones: np.ndarray,
    phone_share: float = 0.03,
) -> tuple[list[str], np.ndarray]:
    """One text per complaint; returns the texts and which of them carry a phone number."""
    texts = []
    with_phone = np.zeros(len(issues), dtype=bool)
    picks = rng.random((len(issues), 8))
    for i, issue in enumerate(issues):
        options = TEMPLATES[issue]
        r = picks[i]
        text = options[int(r[0] * len(options))].format(
            l2=l2[i],
            name=names[i],
            brand=brands[i],
            carrier=carriers[i],
            days=1 + int(r[1] * 20),
            symptom=SYMPTOMS[categories[i]][int(r[2] * 4)],
            flaw=FLAWS[int(r[3] * len(FLAWS))],
            damage=DAMAGES[int(r[3] * len(DAMAGES))],
            wish=WISHES[int(r[4] * len(WISHES))],
        )
        text = OPENERS[int(r[5] * len(OPENERS))] + text
        if r[6] < phone_share:
            text += f"，请联系我{phones[i]}" if r[7] < 0.5 else f"。电话:{phones[i]}，白天都在"
            with_phone[i] = True
        texts.append(text)
    return texts, with_phone
