"""EMBED_PARENT_ORIGINS: whose postMessage tokens the calendar page takes (default: the framers)."""

from __future__ import annotations

import pytest

from entrypoints.http.calendar_page.routes import parent_origins
from entrypoints.settings.env import ConfigError
from entrypoints.settings.security import security_from_env


def test_default_is_the_frame_ancestors() -> None:
    security = security_from_env(
        {"FRAME_ANCESTORS": "'self' https://FMS.example.com"}, fms_environment="sandbox"
    )
    assert security.embed_parent_origins == ()
    assert parent_origins(security) == ("'self'", "https://fms.example.com")


def test_none_frames_nobody_and_takes_no_token() -> None:
    security = security_from_env({"FRAME_ANCESTORS": "'none'"}, fms_environment="sandbox")
    assert parent_origins(security) == ()


def test_set_explicitly_with_wildcard_subdomains() -> None:
    env = {"FRAME_ANCESTORS": "https://fms.example.com", "EMBED_PARENT_ORIGINS": "https://*.example.com/"}
    assert parent_origins(security_from_env(env, fms_environment="sandbox")) == ("https://*.example.com",)


@pytest.mark.parametrize(
    "bad", ["*", "https://fms.example.com/path", "fms.example.com", "javascript:alert(1)"]
)
def test_anything_but_origins_is_refused(bad: str) -> None:
    with pytest.raises(ConfigError, match="EMBED_PARENT_ORIGINS"):
        security_from_env({"EMBED_PARENT_ORIGINS": bad}, fms_environment="sandbox")
