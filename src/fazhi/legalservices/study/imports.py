"""Excel import of the question bank (题库): one row per question; a row with no correct answer, or one outside
its options, refuses the whole file (the row and the column are named)."""

from fazhi.core.imports import Column, Importer
from fazhi.legalservices.study import rules

OPTION_COLUMNS = [Column(f"选项{letter}", f"option_{letter.lower()}") for letter in rules.OPTION_LETTERS[:6]]


class QuestionImporter(Importer):
    key = "study_questions"
    title = "题库试题"
    permission = "study.manage"
    list_url_name = "legalservices:study:question_list"
    unit = "道"
    columns = [
        Column("科目", "subject", required=True, example="行政处罚法"),
        Column("题型", "kind", required=True, example="单选题", help="单选题、多选题或判断题"),
        Column("题干", "stem", required=True, example="行政处罚的设定和实施，应当遵循什么原则？"),
        *OPTION_COLUMNS,
        Column(
            "正确答案", "answer", required=True, example="A", help="选择题填字母（多选如 ABD），判断题填 正确 / 错误"
        ),
        Column("解析", "explanation"),
    ]

    def allowed(self, user) -> bool:
        from fazhi.legalservices.study.permissions import question_actions

        return "import" in question_actions(user=user)

    def save_row(self, data: dict, *, by, ip=None):
        from fazhi.legalservices.study.services import question_save

        options = [data.get(c.field) for c in OPTION_COLUMNS]
        return question_save(
            by=by,
            subject=data["subject"],
            kind=data["kind"],
            stem=data["stem"],
            options=[o for o in options if o],
            answer=data["answer"],
            explanation=data.get("explanation") or "",
        )
