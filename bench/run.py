"""Run every benchmark in bench/ (files named bench_*.py, each with a `run() -> dict`) and print JSON.

`make bench` runs this against PostgreSQL (BENCH_DATABASE_URL, default a `fazhi_bench` database that the
run creates). Figures are printed, never asserted: timed assertions do not belong in tests.
"""

import importlib
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")


def _prepare_database() -> None:
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg

        admin = psycopg.connect(
            host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
        )
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
        admin.close()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def main(names: list[str]) -> None:
    _prepare_database()
    results = {}
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem
        if names and name not in names and name.removeprefix("bench_") not in names:
            continue
        module = importlib.import_module(name)
        started = time.perf_counter()
        figures = module.run()
        figures["wall_seconds"] = round(time.perf_counter() - started, 2)
        results[name] = figures
        print(json.dumps({name: figures}, ensure_ascii=False), flush=True)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
