from ninja import Router, Schema

from . import services

router = Router(tags=["municipalities"])


class LibraryOut(Schema):
    id: int
    name: str


class MunicipalityOut(Schema):
    id: int
    name: str
    code: str
    libraries: list[LibraryOut]


@router.get("/municipalities", response=list[MunicipalityOut], auth=None)
def list_municipalities(request):
    """Municipalities connected today, with their libraries (for the login chooser)."""
    libraries: dict[int, list[LibraryOut]] = {}
    for library in services.connected_libraries().order_by("name"):
        libraries.setdefault(library.municipality_id, []).append(
            LibraryOut(id=library.pk, name=str(library))
        )
    return [
        MunicipalityOut(
            id=m.pk, name=m.name, code=m.municipality_code, libraries=libraries.get(m.pk, [])
        )
        for m in services.connected_on().order_by("name")
    ]
