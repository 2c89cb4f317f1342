"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, Swagger UI at /api/v1/docs)."""

from ninja import NinjaAPI

from peyvand.api.auth import ActiveSessionAuth, TokenAuth
from peyvand.api.errors import install_error_handlers
from peyvand.api.parser import BodyParser
from peyvand.api.routers import contacts, merges, organizations, settings

api = NinjaAPI(
    title="Peyvand API",
    version="1",
    description=(
        "Peyvand CRM. Authenticate with `Authorization: Bearer <token>` "
        "(create one with `peyvand token create`) or the web session (send the CSRF token)."
    ),
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    parser=BodyParser(),
)
install_error_handlers(api)
api.add_router("/contacts", contacts.router)
api.add_router("/organizations", organizations.router)
api.add_router("/", settings.router)
api.add_router("/", merges.router)
