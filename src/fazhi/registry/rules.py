"""Statutory numbers of the registry: who may enforce and what a power item may impose. Pure values, no I/O.

《中华人民共和国行政处罚法》(2021): 第九条 the kinds of penalty a power item may carry; 第二十条 entrustment
(the entrusting agency answers for the acts); 第四十二条 only officers holding a valid enforcement certificate act.
"""

LAW = "《中华人民共和国行政处罚法》"
LAW_SHORT = "《行政处罚法》"

PENALTY_KINDS_CITATION = f"{LAW_SHORT}第九条"
ENTRUSTMENT_CITATION = f"{LAW_SHORT}第二十条"  # the entrusting agency answers for the entrusted organisation's acts
CERTIFICATE_CITATION = f"{LAW_SHORT}第四十二条"  # only certified officers enforce, at least two
LEGAL_REVIEW_CITATION = f"{LAW_SHORT}第五十八条"  # a major power item's decisions are legally reviewed first

# 第九条: the kinds of administrative penalty ("其他" = 法律、行政法规规定的其他行政处罚).
PENALTY_KINDS = [
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
]

# Not statutory: no national rule sets a reminder period before a certificate expires; 30 days is the common
# local practice (a certificate must be valid on the day the officer acts, 第四十二条).
CERTIFICATE_EXPIRY_DAYS = 30
CERTIFICATE_EXPIRY_SOURCE = f"《行政执法证件管理办法》/ 本地规定：证件有效期届满前 {CERTIFICATE_EXPIRY_DAYS} 日提醒"
