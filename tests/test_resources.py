"""Resource lint: every shipped text resource is NFC, free of presentation forms, and sourced."""

import unicodedata
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parents[1] / "src" / "marsad" / "resources"
TEXT_FILES = sorted(p for p in RESOURCES.rglob("*") if p.suffix in {".yaml", ".txt", ".tsv", ".md"})


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: str(p.relative_to(RESOURCES)))
def test_resource_text_is_nfc_without_presentation_forms(path):
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text
    bad = [c for c in text if "\ufb50" <= c <= "\ufdff" or "\ufe70" <= c <= "\ufeff"]
    assert not bad, f"presentation forms {bad[:5]}"


@pytest.mark.parametrize("path", [p for p in TEXT_FILES if p.suffix in {".yaml", ".txt", ".tsv"}],
                         ids=lambda p: str(p.relative_to(RESOURCES)))
def test_data_files_state_their_provenance(path):
    head = path.read_text(encoding="utf-8")[:1500].lower()
    assert head.startswith("#"), "a data file opens with a comment header"
    assert any(w in head for w in ("curated", "provenance", "built by", "learnt", "derived",
                                   "source", "acled", "trained")), "no provenance in the header"
