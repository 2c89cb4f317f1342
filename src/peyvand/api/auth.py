"""API authentication: personal tokens (Bearer) or the web session (with CSRF)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from peyvand.accounts.models import TokenScope, User
from peyvand.accounts.services import token_authenticate
from peyvand.api.language import activate_caller_language
from peyvand.common.errors import PermissionDenied


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        request.api_token = api_token
        request.user = api_token.user
        activate_caller_language(request, api_token.user)
        return api_token.user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        activate_caller_language(request, user)
        return user


def reader(request: HttpRequest) -> User:
    return request.auth


def writer(request: HttpRequest) -> User:
    """The acting user for a write; a read-only token cannot write whatever the user's role."""
    token = getattr(request, "api_token", None)
    if token is not None and token.scope != TokenScope.WRITE:
        raise PermissionDenied("This API token is read-only.")
    return request.auth
