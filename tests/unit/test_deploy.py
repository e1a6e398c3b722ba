"""deploy/: the compose file and the systemd template run one process per county, each with its own settings file
and database, with commands the `zhibu` command line accepts."""

from __future__ import annotations

import configparser
from pathlib import Path

import yaml

from bot.cli import _county_first, build_parser

ROOT = Path(__file__).resolve().parents[2]


def _parse(words: list[str]):
    return build_parser().parse_args(_county_first(words))


def test_compose_runs_each_county_on_its_own_volume_with_its_own_settings():
    """Every service runs `zhibu run --county <its name>`, built from the repository's Dockerfile, with a /data
    volume no other service uses (declared at the end) and the counties' settings mounted read-only."""
    compose = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert len(services) >= 2
    data_volumes = []
    for name, service in services.items():
        args = _parse(service["command"][1:])
        assert service["command"][0] == "zhibu" and args.command == "run" and args.county == name
        assert (ROOT / "deploy" / service["build"]["context"] / service["build"]["dockerfile"]).resolve() == \
            ROOT / "Dockerfile"
        mounts = dict(reversed(volume.split(":", 1)) for volume in service["volumes"])
        data_volumes.append(mounts["/data"])
        assert mounts["/data/counties:ro"] == "../counties"
        assert service["restart"] == "unless-stopped" and service["stop_signal"] == "SIGTERM"
    assert len(set(data_volumes)) == len(services) and set(data_volumes) <= set(compose["volumes"])


def test_systemd_template_runs_the_instance_s_county():
    """zhibu@.service runs `zhibu run --county %i` from the checkout's virtualenv, keeps each county's database
    apart, restarts on failure but not after a configuration error (the command line's exit code 2)."""
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string((ROOT / "deploy/zhibu@.service").read_text(encoding="utf-8"))
    service = unit["Service"]
    program, *words = service["ExecStart"].split()
    assert program.endswith("/.venv/bin/zhibu")
    args = _parse([word.replace("%i", "anping") for word in words])
    assert args.command == "run" and args.county == "anping"
    assert "%i" in service["Environment"] and service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == "2"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_county_option_is_the_same_before_or_after_the_command():
    """`zhibu --county a run` and `zhibu run --county a` mean the same; without it no county is read."""
    assert _parse(["--county", "a", "run"]).county == _parse(["run", "--county", "a"]).county == "a"
    assert _parse(["run", "--county=b"]).county == "b"
    assert _parse(["run"]).county is None
