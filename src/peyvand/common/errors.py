"""Errors the service layer raises; the web, API and CLI each turn them into their own answer."""


class PermissionDenied(Exception):
    """The acting user may not do this (403)."""


class NotFound(Exception):
    """No such record, or the acting user may not see it (404: no leak of existence)."""


class Conflict(Exception):
    """The write would break a uniqueness rule (409)."""


class StaleVersion(Exception):
    """Someone else changed the record since the client read it (412)."""

    def __init__(self, current_version: int, current: object = None):
        super().__init__(f"stale version; current is {current_version}")
        self.current_version = current_version
        self.current = current
