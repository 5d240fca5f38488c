"""The `fazhi` console command: Django's management commands with fazhi's settings preset.

fazhi serve            production server (gunicorn) on 127.0.0.1:$PORT (default 8000)
fazhi worker           background worker: scheduled deadline scans plus the task queue
fazhi demo             build the deterministic 示例市 demo (idempotent)
fazhi migrate          apply database migrations
fazhi verify           check the keyed SM3 chains: every timeline (and its attachments), login and operation logs
fazhi token create U   print a new API token for user U
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fazhi", *sys.argv[1:]])


if __name__ == "__main__":
    main()
