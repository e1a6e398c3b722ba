from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults(monkeypatch, tmp_path):
    """Without configuration the documented defaults apply and no token is set."""
    monkeypatch.chdir(tmp_path)
    for name in ("ZHIBU_TOKEN", "ZHIBU_DB", "ZHIBU_TZ", "ZHIBU_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.token is None
    assert str(settings.db) == "zhibu.db"
    assert settings.tz == "Asia/Shanghai"
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.admins == frozenset()


def test_admins_parsed_from_comma_list(monkeypatch, tmp_path):
    """ZHIBU_ADMINS takes comma-separated ids with spaces."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZHIBU_ADMINS", "1001, 1002")
    assert load_settings().admins == frozenset({1001, 1002})


@pytest.mark.parametrize(
    ("name", "value"),
    [("ZHIBU_TZ", "Mars/Olympus"), ("ZHIBU_ADMINS", "abc"), ("ZHIBU_API_BASE_URL", "ftp://x"), ("ZHIBU_DRAIN_INTERVAL", "90"),
     ("ZHIBU_WEBHOOK_URL", "http://zhibu.example.gov.cn/tg"), ("ZHIBU_WEBHOOK_SECRET", "有 空格"),
     ("ZHIBU_WEBHOOK_LISTEN", "8443")],
)
def test_bad_setting_is_one_line_naming_it(monkeypatch, tmp_path, name, value):
    """A malformed setting raises one line that starts with the setting's name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value).startswith(name + ":")
    assert "\n" not in str(raised.value)


def test_token_is_secret_and_required(monkeypatch, tmp_path):
    """The token never shows in repr, and a missing one is named."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZHIBU_TOKEN", "123:SECRET")
    settings = load_settings()
    assert "SECRET" not in repr(settings)
    assert settings.require_token() == "123:SECRET"
    monkeypatch.setenv("ZHIBU_TOKEN", "")
    with pytest.raises(SettingsError, match="ZHIBU_TOKEN"):
        load_settings().require_token()


def test_env_file_is_read(monkeypatch, tmp_path):
    """A .env file in the working directory is honoured."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZHIBU_TZ", raising=False)
    (tmp_path / ".env").write_text("ZHIBU_TZ=Asia/Urumqi\n", encoding="utf-8")
    assert load_settings().tz == "Asia/Urumqi"


def test_webhook_mode_needs_its_secret_and_the_example_file_leaves_it_off(monkeypatch, tmp_path):
    """.env.example as shipped means long polling (empty URL and secret are unset); a webhook URL without a secret
    is refused naming ZHIBU_WEBHOOK_SECRET, and the listen address splits into host and port."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text((Path(__file__).parents[2] / ".env.example").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    settings = load_settings()
    assert settings.webhook_url is None and settings.webhook_secret is None
    monkeypatch.setenv("ZHIBU_WEBHOOK_URL", "https://zhibu.example.gov.cn/tg/a")
    with pytest.raises(SettingsError, match="ZHIBU_WEBHOOK_SECRET"):
        load_settings().require_webhook_secret()
    monkeypatch.setenv("ZHIBU_WEBHOOK_LISTEN", "[::1]:9000")
    assert load_settings().webhook_address() == ("::1", 9000)


def test_a_county_reads_its_own_file_over_the_shared_one(monkeypatch, tmp_path):
    """--county NAME reads counties/NAME.env over .env (its token and officers), its database defaults to
    zhibu-NAME.db unless named; a missing file or a bad name is one configuration error naming it."""
    monkeypatch.chdir(tmp_path)
    for name in ("ZHIBU_TOKEN", "ZHIBU_DB", "ZHIBU_ADMINS", "ZHIBU_TZ"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text("ZHIBU_TZ=Asia/Urumqi\nZHIBU_TOKEN=1:SHARED\n", encoding="utf-8")
    (tmp_path / "counties").mkdir()
    (tmp_path / "counties/anping.env").write_text("ZHIBU_TOKEN=2:ANPING\nZHIBU_ADMINS=7\n", encoding="utf-8")
    (tmp_path / "counties/boye.env").write_text("ZHIBU_TOKEN=3:BOYE\nZHIBU_DB=/srv/boye.db\n", encoding="utf-8")
    anping, boye = load_settings("anping"), load_settings("boye")
    assert (anping.require_token(), anping.admins, anping.tz, str(anping.db)) == \
        ("2:ANPING", frozenset({7}), "Asia/Urumqi", "zhibu-anping.db")
    assert (boye.require_token(), str(boye.db)) == ("3:BOYE", "/srv/boye.db")
    with pytest.raises(SettingsError, match="counties/nope.env not found"):
        load_settings("nope")
    with pytest.raises(SettingsError, match="lower-case"):
        load_settings("../etc")
