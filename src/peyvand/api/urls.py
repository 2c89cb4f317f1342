from ninja import NinjaAPI

api = NinjaAPI(title="Peyvand API", version="1", urls_namespace="api")
