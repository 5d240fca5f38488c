"""A rubric as an Excel sheet: one row per section (分部), scored item (评分项) or veto item (否决项), read with core's
Excel reader (limits, damaged files, a dry-run preview, an error list) and checked as a whole (the points add up, a
deduction stays within its item …) before anything is written: all or nothing. The export writes the same columns,
so an exported rubric imports again (as a new rubric or a new version)."""

from fazhi.core.errors import DomainError
from fazhi.core.exports import xlsx_bytes
from fazhi.core.imports import Column, Importer, ImportResult, RowResult, _display, read_sheet

KINDS = {"分部": "section", "评分项": "scored", "否决项": "veto"}


class RubricImporter(Importer):
    key = "review_rubric"
    title = "评查标准"
    permission = "review.manage"
    columns = [
        Column("类型", "kind", required=True, example="评分项", help="分部 / 评分项 / 否决项"),
        Column("类别", "group", example="基础标准", help="分部所属大类，如 基础标准、文书规范"),
        Column("编号", "code", required=True, example="1.1"),
        Column("所属分部", "section", example="一", help="评分项所属分部的编号"),
        Column("名称或评查内容", "title", required=True, example="执法主体名称、执法依据在文书中表述准确"),
        Column("分值", "points", example="4", help="分部与评分项的分值；否决项不计分值"),
        Column("每处扣分", "deduction", example="2", help="评分项每发现一处问题扣减的分数，不超过该项分值"),
        Column("一票否决优秀", "caps_excellent", example="", help="填“是”：该项有扣分的案卷不能评为优秀"),
        Column("对应法定校验规则", "rule_code", example="", help="如 legal_review_missing，评分表据此预填扣分"),
        Column(
            "否决类别", "category", example="", help="否决项：主体、资格、证据、事实、定性、适用法律、程序、执法人员"
        ),
        Column("评分说明", "guidance", example=""),
    ]

    def run(self, fileobj, *, by, ip=None, commit: bool = False, progress=None, header: dict | None = None):
        """Check the whole sheet (and with `commit` and no error, create the rubric — or replace the content of
        `header["rubric"]`). `header`: name, year, case_type, basis, total, excellent_min, pass_min."""
        from fazhi.supervision.reviews import services

        header = dict(header or {})
        result = ImportResult(importer=self)
        try:
            rubric = header.get("rubric")
            services.rubric_header_check(
                name=header.get("name"),
                year=rubric.year if rubric is not None else header.get("year"),
                case_type=rubric.case_type if rubric is not None else (header.get("case_type") or "penalty"),
                basis=header.get("basis", ""),
            )
        except DomainError as exc:
            result.file_errors.append(exc.message)
        rows, file_errors = read_sheet(self, fileobj)
        if file_errors:
            result.file_errors += file_errors
            return result
        data = {
            "sections": [],
            "items": [],
            "total": header.get("total"),
            "excellent_min": header.get("excellent_min"),
            "pass_min": header.get("pass_min"),
        }
        by_row: dict[int, RowResult] = {}
        for number, values in rows:
            row = RowResult(number=number, values=[_display(values.get(c.field)) for c in self.columns])
            by_row[number] = row
            result.rows.append(row)
            kind = KINDS.get(str(values.get("kind") or "").strip())
            if kind is None:
                row.errors.append(("类型", "应为“分部”“评分项”或“否决项”"))
                continue
            entry = {
                k: values.get(k)
                for k in (
                    "code",
                    "title",
                    "group",
                    "points",
                    "deduction",
                    "caps_excellent",
                    "rule_code",
                    "category",
                    "guidance",
                    "section",
                )
            }
            entry["row"] = number
            entry["code"] = "" if entry["code"] is None else str(entry["code"])
            entry["section"] = "" if entry["section"] is None else str(entry["section"])
            if kind == "section":
                data["sections"].append(entry)
            else:
                entry["kind"] = kind
                data["items"].append(entry)
        if result.has_errors:
            return result
        try:
            spec = services.rubric_spec_from(data)
            services.rubric_check(spec)
        except DomainError as exc:
            for problem in exc.errors or [{"field": exc.field, "message": exc.message, "row": exc.row}]:
                target = by_row.get(problem.get("row"))
                header_name = self.header_for(problem.get("field", ""))
                message = problem["message"].split("：", 1)[-1] if target else problem["message"]
                if target is not None:
                    target.errors.append((header_name, message))
                else:
                    result.file_errors.append(message)
            return result
        if commit:
            try:
                if header.get("rubric") is not None:
                    rubric = services.rubric_replace(
                        by=by,
                        rubric=header["rubric"],
                        name=header.get("name"),
                        basis=header.get("basis", ""),
                        spec=spec,
                        ip=ip,
                    )
                else:
                    rubric = services.rubric_create(
                        by=by,
                        name=header.get("name"),
                        year=header.get("year"),
                        case_type=header.get("case_type") or "penalty",
                        basis=header.get("basis", ""),
                        spec=spec,
                        ip=ip,
                    )
            except DomainError as exc:
                result.file_errors.append(exc.message)
                return result
            result.committed = True
            result.summary["rubric_id"] = rubric.pk
        return result


IMPORTER = RubricImporter()


def rubric_xlsx(rows: list[list]) -> bytes:
    return xlsx_bytes([c.header for c in IMPORTER.columns], rows, sheet="评查标准")
