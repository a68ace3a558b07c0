"""The one JSON API, under /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Each app owns a router in its `api.py`; the routers are mounted here and nowhere else.
"""

from ninja import NinjaAPI

from bibblix.catalogue.api import router as catalogue_router
from bibblix.lending.api import router as lending_router
from bibblix.members.api import router as members_router
from bibblix.motivation.api import router as motivation_router
from bibblix.patrons.api import router as patrons_router

api = NinjaAPI(
    title="Bibblix API",
    version="1",
    description="The children's e-book library: session, municipalities, books, loans, holds, progress, reading log, badges, challenges, ratings, recommendations.",
    urls_namespace="api-v1",
)
api.add_router("", members_router)
api.add_router("", patrons_router)
api.add_router("", catalogue_router)
api.add_router("", lending_router)
api.add_router("", motivation_router)
