"""The documents of a recruitment, in 公文 layout (fazhi.documents.gongwen): the 函询函 (invitation letter), the
公示 notice of the candidates and the 聘书. Build the bytes only; the services number and store them."""

import datetime as dt

from fazhi.documents.gongwen import Gongwen, gongwen_docx


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _duties() -> str:
    return (
        "特邀行政执法监督员的主要职责是：监督行政执法行为，参加行政执法现场观摩、行政执法监督检查和案卷评查等活动，"
        "反映群众对行政执法工作的意见建议，参加行政执法监督理论和业务知识培训。"
    )


def invitation_letter(*, campaign, application, number: str, today: dt.date) -> bytes:
    organiser = campaign.organiser.name
    return gongwen_docx(
        Gongwen(
            issuer_mark=f"{organiser}文件",
            number=number,
            title="关于邀请担任特邀行政执法监督员的函",
            recipients=f"{application.name}同志",
            body=[
                f"为充分发挥社会监督作用，推进严格规范公正文明执法，{organiser}开展{campaign.title.removesuffix('公告')}工作。"
                f"经研究，拟邀请您担任{organiser}特邀行政执法监督员，聘期{campaign.term_years}年。",
                _duties(),
                f"如您同意应聘，请于{_cn(campaign.apply_until)}前回复我单位，经资格初审、公示后办理聘任手续。",
                "特此函询。",
            ],
            signature=organiser,
            date=today,
        )
    )


def publicity_notice(*, campaign, candidates: list, start: dt.date, end: dt.date) -> bytes:
    organiser = campaign.organiser.name
    lines = [
        f"{i}．{a.name}，{a.gender}，{a.birth_date.year}年{a.birth_date.month}月生，{a.employer or a.occupation or '—'}"
        for i, a in enumerate(candidates, 1)
    ]
    return gongwen_docx(
        Gongwen(
            title="关于拟聘任特邀行政执法监督员的公示",
            body=[
                f"根据{campaign.title}，经个人自荐、单位推荐和定向邀请（函询）、资格初审，拟聘任以下{len(candidates)}名同志"
                f"为{organiser}特邀行政执法监督员，现予公示。",
                *lines,
                f"公示期：{_cn(start)}至{_cn(end)}（{campaign.publicity_days}个工作日）。",
                "公示期间，对拟聘任人员有异议的，可通过法治政府建设公开平台提交，或来信来电反映。"
                "反映问题应实事求是，并提供具体事实或线索。",
            ],
            signature=organiser,
            date=start,
        )
    )


def certificate(*, supervisor, campaign) -> bytes:
    organiser = campaign.organiser.name
    return gongwen_docx(
        Gongwen(
            number=supervisor.number,
            title="聘　书",
            body=[
                f"兹聘请{supervisor.name}同志为{organiser}特邀行政执法监督员。",
                f"聘期{campaign.term_years}年，自{_cn(supervisor.appointed_on)}至{_cn(supervisor.term_end)}。",
                _duties(),
            ],
            signature=organiser,
            date=supervisor.appointed_on,
        )
    )
