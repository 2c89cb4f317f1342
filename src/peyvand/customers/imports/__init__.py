"""Importing customers from CSV, XLSX and vCard files (see docs/decisions/0004-imports.md)."""
