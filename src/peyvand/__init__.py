"""Peyvand (پیوند): an open-source, Persian-first CRM."""

__version__ = "0.1.0"
