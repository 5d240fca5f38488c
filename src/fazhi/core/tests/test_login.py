"""Login (issue 8): nothing tells which accounts exist, a per-IP throttle besides the per-account lockout, the
client address behind a trusted proxy, and common passwords refused besides the character-class rule."""

import datetime as dt
import threading

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit import client_ip
from fazhi.core.demo.build import DEMO_PASSWORD
from fazhi.core.errors import DomainError
from fazhi.core.models import LoginLog
from fazhi.core.passwords import COMMON_MESSAGE, USERNAME_MESSAGE, password_problem
from fazhi.core.services import login_attempt, user_change_password, user_save
from fazhi.core.throttle import throttle_hit

pytestmark = pytest.mark.django_db


def _message(**kwargs) -> str:
    with pytest.raises(DomainError) as exc:
        login_attempt(**kwargs)
    return exc.value.message


# ---------------------------------------------------------------- no account enumeration


def test_wrong_password_and_unknown_user_answer_alike():
    """The old "再错 4 次" told that the account exists; an unknown user got a different answer."""
    real = [_message(username="officer", password="Wrong-Password-1") for _ in range(5)]
    ghost = [_message(username="nosuchuser", password="Wrong-Password-1") for _ in range(5)]
    assert real == ghost
    assert real[0] == "用户名或密码错误" and "锁定" in real[4]
    # While locked, both say the same again.
    assert _message(username="officer", password=DEMO_PASSWORD) == _message(
        username="nosuchuser", password=DEMO_PASSWORD
    )


def test_login_page_shows_the_same_error_for_both(client):
    a = client.post(reverse("core:login"), {"username": "officer", "password": "Wrong-Password-1"}).content.decode()
    b = client.post(reverse("core:login"), {"username": "ghost", "password": "Wrong-Password-1"}).content.decode()
    error = '<div class="alert alert-danger" id="login-error">用户名或密码错误</div>'
    assert error in a and error in b


# ---------------------------------------------------------------- per-IP throttle


@pytest.fixture
def ip_limit(settings):
    settings.FAZHI = {**settings.FAZHI, "LOGIN_IP_MAX_FAILURES": 3, "LOGIN_IP_WINDOW_MINUTES": 15}
    return 3


def test_ip_throttle_besides_the_account_lockout(users, ip_limit):
    """Spraying one password over many accounts never trips an account's lockout; the IP throttle stops it."""
    for name in ("agency", "supervisor", "leader"):
        assert _message(username=name, password="Wrong-Password-1", ip="10.9.0.1") == "用户名或密码错误"
    # Even the right password is refused from that address now; another address is not affected.
    assert "本机登录失败次数过多" in _message(username="officer", password=DEMO_PASSWORD, ip="10.9.0.1")
    assert login_attempt(username="officer", password=DEMO_PASSWORD, ip="10.9.0.2") == users["officer"]
    assert LoginLog.objects.filter(ip="10.9.0.1", reason="IP 登录失败次数过多").exists()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert login_attempt(username="officer", password=DEMO_PASSWORD, ip="10.9.0.1") == users["officer"]


def test_successful_logins_do_not_count(users, ip_limit):
    for _ in range(ip_limit + 2):
        assert login_attempt(username="officer", password=DEMO_PASSWORD, ip="10.9.1.1") == users["officer"]
    assert _message(username="officer", password="Wrong-Password-1", ip="10.9.1.1") == "用户名或密码错误"


def test_ip_throttle_on_the_login_page(client, ip_limit):
    for _ in range(ip_limit):
        client.post(reverse("core:login"), {"username": "ghost", "password": "x"}, REMOTE_ADDR="10.9.2.1")
    r = client.post(reverse("core:login"), {"username": "officer", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.9.2.1")
    assert r.status_code == 200 and "本机登录失败次数过多" in r.content.decode()


def test_throttle_counter_is_atomic():
    """Concurrent hits each get their own count (cache add/incr), so parallel guesses cannot pass together."""
    barrier = threading.Barrier(16)
    counts = []

    def hit():
        barrier.wait()
        counts.append(throttle_hit(scope="test-atomic", ident="10.9.3.1", window_seconds=600))

    threads = [threading.Thread(target=hit) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(counts) == list(range(1, 17))


def test_client_ip_behind_a_trusted_proxy(settings):
    rf = RequestFactory()
    forged = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_ip(forged) == "203.0.113.9"  # no proxy configured: the header is not believed
    settings.FAZHI = {**settings.FAZHI, "TRUSTED_PROXIES": ["127.0.0.1"]}
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7")
    assert client_ip(proxied) == "198.51.100.7"  # the address nginx saw, not what the client claimed before it
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


# ---------------------------------------------------------------- common passwords


@pytest.mark.parametrize(
    "password",
    [
        "Password@1",
        "Password@123",
        "Aa123456789",
        "Admin@2026",
        "Abc@123456789",
        "1qaz@WSX3edc",
        "Qwer1234!@#$",
        "Asdfghjkl;123",
        "P@ssw0rd2026",
        "Zhang@123456",
        "Wang19850312!",
        "Woaini@1314",
        "Sunshine2024!",
        "Abcdefgh1!",
    ],
)
def test_common_and_patterned_passwords_refused(password):
    assert password_problem(password) == COMMON_MESSAGE


@pytest.mark.parametrize("password", ["Chushi@2026x", "Tq7#mVz2Lp", "Ali@84736291", "Ab1!Ab1!Ab", DEMO_PASSWORD])
def test_uncommon_passwords_pass(password):
    assert password_problem(password) is None


def test_password_must_not_contain_the_user_name(users, org):
    assert password_problem("Officer#93817", username="officer") == USERNAME_MESSAGE
    assert password_problem("Reciffo#93817", username="officer") == USERNAME_MESSAGE
    with pytest.raises(DomainError) as exc:
        user_save(
            by=users["admin"],
            username="zhangwei",
            name="张伟",
            unit=org["示例市司法局"],
            roles=[],
            password="Zhangwei#4821",
        )
    assert exc.value.field == "password" and exc.value.message == USERNAME_MESSAGE


def test_password_change_refuses_common_password(users):
    with pytest.raises(DomainError) as exc:
        user_change_password(user=users["officer"], old_password=DEMO_PASSWORD, new_password="Password@1")
    assert exc.value.field == "new_password" and exc.value.message == COMMON_MESSAGE
