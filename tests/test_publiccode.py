"""publiccode.yml: what the standard (version 0.4) requires, and that it agrees with the licence files."""

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# The keys publiccode.yml 0.4 marks mandatory; "maintenance.contacts" is mandatory for internal and contract.
REQUIRED = ["publiccodeYmlVersion", "name", "url", "releaseDate", "platforms", "categories", "developmentStatus",
            "softwareType", "description", "legal.license", "maintenance.type", "localisation.localisationReady",
            "localisation.availableLanguages"]
DEVELOPMENT_STATUSES = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web", "standalone/backend",
                  "standalone/other", "addon", "library", "configurationFiles"}


def _publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def _get(document: dict, dotted: str) -> object:
    value: object = document
    for key in dotted.split("."):
        assert isinstance(value, dict), f"{dotted}: {key} is not under a mapping"
        value = value.get(key)
    return value


def test_publiccode_has_every_key_the_standard_requires() -> None:
    document = _publiccode()
    missing = [key for key in REQUIRED if _get(document, key) in (None, "", [])]
    assert missing == []
    assert document["publiccodeYmlVersion"] == "0.4"
    assert document["developmentStatus"] in DEVELOPMENT_STATUSES
    assert document["softwareType"] in SOFTWARE_TYPES
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", document["releaseDate"])
    assert document["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    assert document["maintenance"]["contacts"], "internal maintenance names its contacts"


def test_publiccode_describes_the_product_in_dutch_and_english() -> None:
    document = _publiccode()
    assert sorted(document["description"]) == ["en", "nl"]
    assert sorted(document["localisation"]["availableLanguages"]) == ["en", "nl"]
    for language, text in document["description"].items():
        assert len(text["shortDescription"]) <= 150, language
        assert 150 <= len(text["longDescription"]) <= 10_000, language
        assert text["features"], language


def test_the_licence_is_the_same_everywhere() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert _publiccode()["legal"]["license"] == pyproject["project"]["license"] == package["license"] == "EUPL-1.2"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert pyproject["project"]["license-files"] == ["LICENSE"]
