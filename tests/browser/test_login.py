import pytest

pytestmark = pytest.mark.browser


def test_login_shows_inbox_with_coloured_items(login):
    page = login("supervisor")
    assert page.locator("h1").inner_text() == "我的待办"
    # The demo has a submitted assignment waiting for the supervisor's acceptance.
    assert page.locator("tr.inbox-item").count() >= 1
    assert page.locator("#count-red").is_visible()


def test_agency_inbox_lists_its_task_in_colour(login):
    page = login("agency")
    # Other kinds (执法证到期, cases) share the inbox; the demo task is there once, in colour.
    rows = page.locator("tr.inbox-item", has_text="三项制度")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-light") in {"green", "yellow", "red"}


def test_wrong_password_then_lockout_message(login, page, demo_site):
    for _ in range(4):
        login("officer", "Wrong-Password-1")
        assert "用户名或密码错误" in page.locator("#login-error").inner_text()
    login("officer", "Wrong-Password-1")
    assert "账号已锁定" in page.locator("#login-error").inner_text()
    # Even the right password is refused while locked.
    login("officer")
    assert "锁定" in page.locator("#login-error").inner_text()
