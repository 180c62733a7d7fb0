"""Language data: one folder per language, as spaCy's `spacy/lang/nb/`.

    pipeline/lang/nb/      Norwegian (bokmål and nynorsk forms side by side)
    pipeline/lang/en/      English
    pipeline/lang/common/  what every language shares: currency codes and symbols, legal forms,
                           places and first names, the gazetteer (organisations.jsonl)

Each folder holds one YAML file per theme (money, numbers, quantities, targets, actions,
clauses, organisations, dates, currencies); `get("nb")` gives them as one typed object. The extractors
are language-blind: they read their words from here and nowhere else.

Nynorsk has no folder of its own: nynorsk segments go through the Norwegian pipeline, the two
written standards share most words, and a nynorsk form ("millionar", "løyve", "tilrår") sits
beside its bokmål one in `nb/`, where one rule reads both.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
LANGS = ("nb", "en")
THEMES = ("money", "numbers", "quantities", "targets", "actions", "clauses", "organisations", "dates", "currencies")
GAZETTEER = HERE / "common" / "organisations.jsonl"


def code(lang: str | None) -> str:
    """The data folder of a segment language: English, else Norwegian (nb, nn, mixed, unknown)."""
    return "en" if lang == "en" else "nb"


@dataclass(frozen=True)
class LanguageData:
    """One language's data, a dict per theme file (empty when the folder has no such file)."""

    code: str
    money: dict
    numbers: dict
    quantities: dict
    targets: dict
    actions: dict
    clauses: dict
    organisations: dict
    dates: dict
    currencies: dict


# libyaml's safe loader where PyYAML has it (the same data, about 8 times faster: every run loads these files)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> dict:
    return (yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}) if path.exists() else {}


def get(lang: str | None) -> LanguageData:
    """The data of a language folder: "nb", "en" or "common" (other codes: see `code`)."""
    return _folder(lang if lang == "common" else code(lang))


@lru_cache(maxsize=None)
def _folder(folder: str) -> LanguageData:
    return LanguageData(folder, *(_read(HERE / folder / f"{theme}.yaml") for theme in THEMES))


def currencies(lang: str) -> dict:
    """The currency data of a written standard ("nb", "nn", "en", or "common"): CLDR names
    nynorsk's currencies in words of its own, so nynorsk has `nb/currencies-nn.yaml` beside
    bokmål's `nb/currencies.yaml`."""
    if lang == "nn":
        return _nynorsk_currencies()
    return get(lang).currencies


@lru_cache(maxsize=1)
def _nynorsk_currencies() -> dict:
    return _read(HERE / "nb" / "currencies-nn.yaml")


def theme(lang: str | None, name: str) -> dict:
    return getattr(get(lang), name)


def union(name: str, key: str, section: str | None = None) -> list:
    """A word list read in segments of every language (mixed documents: "NOK 3 billion" in
    Norwegian text): the common folder's, then each language's, concatenated."""
    out: list = []
    for folder in ("common", *LANGS):
        data = theme(folder, name)
        if section is not None:
            data = data.get(section, {})
        out.extend(data.get(key, []))
    return out


def merged(name: str, key: str) -> dict:
    """A mapping read in segments of every language: the common folder's, then each language's,
    merged (a later folder's entry wins)."""
    out: dict = {}
    for folder in ("common", *LANGS):
        out.update(theme(folder, name).get(key) or {})
    return out


def files() -> list[Path]:
    """Every language data file (the pipeline version hashes them)."""
    return sorted(p for p in HERE.rglob("*") if p.suffix in (".yaml", ".jsonl"))


assert [f.name for f in fields(LanguageData)][1:] == list(THEMES)
