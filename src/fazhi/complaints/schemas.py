"""API schemas of the complaints app."""

import datetime as dt

from ninja import Field, Schema


class PublicComplaintIn(Schema):
    category: str = Field(..., description="执法不作为/执法慢作为/执法乱作为/执法不文明不规范/逐利执法/其他，或其代码")
    description: str = Field(..., description="投诉内容，10–2000 字")
    place: str = ""
    party: str = Field("", description="被投诉单位或人员")
    occurred_on: dt.date | None = None
    agency: str = Field("", description="所投诉的执法部门全称（可空）")
    anonymous: bool = False
    name: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = Field(False, description="同意个人信息处理说明（必须为 true）")
    idempotency_key: str = Field("", description="客户端生成的唯一键；重复提交返回同一投诉", max_length=64)


class ReceiptOut(Schema):
    tracking_code: str
    query_password: str


class ReplyOut(Schema):
    findings: str
    measures: str
    replied_on: str


class PublicStatusOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    received_on: dt.date
    reply: ReplyOut | None
    may_rate: bool
    satisfaction: str
    out_of_scope_reason: str


class RatingIn(Schema):
    password: str
    satisfaction: str = Field(..., description="satisfied 满意 / basic 基本满意 / dissatisfied 不满意")
    comment: str = ""


class HotlineIn(Schema):
    work_order_no: str
    received_at: dt.datetime
    content: str = Field(..., description="诉求内容，至少 10 字，长度不限（全文保存，按全文分派）")
    caller_name: str = ""
    caller_phone: str = ""
    handling_unit: str = Field("", description="热线指定的承办单位全称（可空）")
    category: str = ""


class HotlineOut(Schema):
    work_order_no: str
    tracking_code: str
    created: bool
    status: str
    status_label: str
    reply: ReplyOut | None


class HotlineRatingIn(Schema):
    satisfaction: str = Field(..., description="satisfied 满意 / basic 基本满意 / dissatisfied 不满意")
    comment: str = ""


class SuggestIn(Schema):
    text: str


class SuggestionOut(Schema):
    agency: str
    category: str
    score: float
    reasons: list[str]


class SuggestOut(Schema):
    suggestions: list[SuggestionOut]


class ComplaintOut(Schema):
    id: int
    tracking_code: str
    channel: str
    category: str
    status: str
    status_label: str
    agency: str | None
    received_at: dt.datetime
    deadline: dt.date | None
    light: str | None
    description: str
    place: str
    party: str
    complainant_name: str
    complainant_phone: str


class ComplaintAssignIn(Schema):
    agency: str = Field(..., description="承办单位全称")
    category: str = ""
    comment: str = ""


class ReplyIn(Schema):
    findings: str
    measures: str


class ReasonIn(Schema):
    reason: str = ""
    comment: str = ""


class StatRowOut(Schema):
    key: str
    label: str
    received: int
    accepted: int
    answered: int
    on_time: int
    on_time_rate: float | None
    avg_days: float | None
    rated: int
    satisfaction_rate: float | None
    reopened: int
    reopen_rate: float | None
