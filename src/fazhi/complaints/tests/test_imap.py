"""The complaint mailbox against a real IMAP server: Debian's dovecot, started by the test on a free port.

Install it with `make browser-deps` (apt-get install dovecot-imapd). Without it the test is skipped and says so.
"""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from fazhi.complaints import mailbox
from fazhi.complaints.models import Complaint, MailboxState
from fazhi.complaints.tests import factories as f

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.path.exists(DOVECOT), reason="dovecot 未安装：apt-get install dovecot-imapd（见 Makefile browser-deps）"
    ),
]
USER, PASSWORD = "complaints", "Mailbox-Test-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dovecot():
    root = Path(tempfile.mkdtemp(prefix="fazhi-dovecot-"))
    root.chmod(0o755)
    nobody = pwd.getpwnam("nobody")
    home = root / "home"
    (home / "Maildir").mkdir(parents=True)
    for sub in ("cur", "new", "tmp"):
        (home / "Maildir" / sub).mkdir()
    for path in [home, *home.rglob("*")]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    port = _free_port()
    conf = root / "dovecot.conf"
    conf.write_text(f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = {nobody.pw_uid}
last_valid_uid = {nobody.pw_uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={nobody.pw_uid} gid={nobody.pw_gid} home={home}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
""")
    proc = subprocess.Popen([DOVECOT, "-c", str(conf), "-F"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                out = proc.stdout.read().decode(errors="replace")
                pytest.skip(f"dovecot 无法启动：{out[-500:]}")
            time.sleep(0.2)
    else:
        proc.terminate()
        pytest.skip("dovecot 未在 15 秒内开始监听")
    yield {"host": "127.0.0.1", "port": port}
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(root, ignore_errors=True)


def _append(server, msg: EmailMessage) -> None:
    client = imaplib.IMAP4(server["host"], server["port"])
    client.login(USER, PASSWORD)
    client.append("INBOX", None, None, msg.as_bytes())
    client.logout()


def _message(n: int, *, attach=None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"市民{n} <citizen{n}@example.com>"
    msg["To"] = "tousu@example.gov.cn"
    msg["Subject"] = f"投诉城管执法人员（{n}）"
    msg["Message-ID"] = f"<complaint-{n}-{time.time_ns()}@example.com>"
    msg["Date"] = "Mon, 03 Mar 2025 10:00:00 +0800"
    msg.set_content(f"第{n}封：城管执法人员在人民路收缴摊贩物品时推搡老人，没有出示执法证件。")
    for name, data, maintype, subtype in attach or []:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


@pytest.fixture
def mailbox_settings(settings, dovecot):
    settings.FAZHI_COMPLAINTS = {
        "IMAP_HOST": dovecot["host"],
        "IMAP_PORT": dovecot["port"],
        "IMAP_USER": USER,
        "IMAP_PASSWORD": PASSWORD,
        "IMAP_SSL": False,
        "IMAP_MAILBOX": "INBOX",
    }
    return dovecot


def test_each_message_becomes_one_complaint_exactly_once(mailbox_settings):
    _append(
        mailbox_settings,
        _message(
            1,
            attach=[
                ("现场.png", f.PNG, "image", "png"),
                ("说明.pdf", f.PDF, "application", "pdf"),
                ("宏病毒.exe", b"MZ000", "application", "octet-stream"),
            ],
        ),
    )
    _append(mailbox_settings, _message(2))
    first = mailbox.poll()
    assert first == {"configured": True, "created": 2, "skipped": 0}
    c1 = Complaint.objects.get(complainant_email="citizen1@example.com")
    assert c1.channel == "email" and "推搡老人" in c1.description and c1.complainant_name == "市民1"
    assert sorted(a.name for a in c1.attachments.all()) == ["现场.png", "说明.pdf"]
    assert "宏病毒.exe" in c1.description  # left out, and said so
    assert mailbox.poll()["created"] == 0  # nothing new: nothing twice

    # The poller lost its place (a crash before it recorded the UID, or a rebuilt mailbox): Message-IDs hold.
    MailboxState.objects.update(last_uid=0)
    again = mailbox.poll()
    assert again["created"] == 0 and again["skipped"] == 2
    assert Complaint.objects.filter(channel="email").count() == 2

    _append(mailbox_settings, _message(3))
    assert mailbox.poll()["created"] == 1


def test_command_and_unconfigured(settings, capsys):
    from django.core.management import call_command

    settings.FAZHI_COMPLAINTS = {"IMAP_HOST": ""}
    call_command("mail", "poll")
    assert "未配置投诉邮箱" in capsys.readouterr().out
