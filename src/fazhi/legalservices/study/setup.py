"""This area's part of LegalservicesConfig.ready(): permissions, the question importer, the certificate gate, the
demo step and the job that collects papers whose time ran out."""

import datetime as dt


def setup() -> None:
    from fazhi.core.demo.build import register_demo_step
    from fazhi.core.imports import register
    from fazhi.core.schedule import register_periodic
    from fazhi.legalservices.study.imports import QuestionImporter
    from fazhi.legalservices.study.permissions import register_permissions
    from fazhi.legalservices.study.services import certificate_gate
    from fazhi.legalservices.study.tasks import papers_time_out_task
    from fazhi.registry.gates import register_certificate_gate

    register_permissions()
    register(QuestionImporter())
    register_certificate_gate(certificate_gate)
    register_demo_step("fazhi.legalservices.study.demo.build", order=79)
    register_periodic(papers_time_out_task, every=dt.timedelta(minutes=1))
