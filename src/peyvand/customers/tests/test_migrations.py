"""Migrations stand on their own: they import no live app code (a later change to it must not
change what an old migration does), and the vocabulary backfill writes in batches."""

import ast
import importlib
from pathlib import Path

from django.apps import apps

from peyvand.customers.models import SearchWord

SRC = Path(__file__).resolve().parents[2]  # src/peyvand
# Field defaults are referenced by their dotted path (Django writes them so, and compares them
# with the model's); the migration only names the function, it runs none of its own code.
REFERENCED_BY_PATH = {"peyvand.common.models"}


def test_no_migration_imports_app_code():
    """Given every migration of every app, when their imports are listed, then none is a
    Peyvand module (other than the field-default references Django writes)."""
    found = []
    for path in sorted(SRC.glob("*/migrations/[0-9]*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            found += [
                f"{path.relative_to(SRC)}: {module}"
                for module in modules
                if module.split(".")[0] == "peyvand" and module not in REFERENCED_BY_PATH
            ]

    assert found == []


def test_vocabulary_backfill_writes_every_variant_in_batches(south_contact, monkeypatch):
    """Given a stored contact «Sara Karimi» and an empty vocabulary, when migration 0005's
    backfill runs with batches of three rows, then the vocabulary holds exactly each name
    word with its one-letter deletions."""
    migration = importlib.import_module("peyvand.customers.migrations.0005_search_words")
    monkeypatch.setattr(migration, "BATCH", 3)
    SearchWord.objects.all().delete()

    migration.fill_vocabulary(apps, None)

    assert sorted(SearchWord.objects.values_list("word", "variant")) == [
        ("karimi", "arimi"),
        ("karimi", "kaimi"),
        ("karimi", "karii"),
        ("karimi", "karim"),
        ("karimi", "karimi"),
        ("karimi", "karmi"),
        ("karimi", "krimi"),
        ("sara", "ara"),
        ("sara", "saa"),
        ("sara", "sar"),
        ("sara", "sara"),
        ("sara", "sra"),
    ]
