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
    [("ZHIBU_TZ", "Mars/Olympus"), ("ZHIBU_ADMINS", "abc"), ("ZHIBU_API_BASE_URL", "ftp://x"), ("ZHIBU_DRAIN_INTERVAL", "90")],
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
