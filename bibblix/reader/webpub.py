"""The Readium Web Publication Manifest of a book (application/webpub+json).

Every href points into `/read/<book>/pub/<token>/<path in the EPUB>`: the token sits in the path,
not the query, so relative links inside a chapter (images, style sheets) resolve to signed URLs
too. The token lives a few minutes; a client fetches the manifest again for fresh links.
"""

from urllib.parse import quote

from django.urls import reverse

from .package import package_of

CONTEXT = "https://readium.org/webpub-manifest/context.jsonld"
SPINE_TYPES = {"application/xhtml+xml", "text/html", "image/svg+xml"}


def build_manifest(request, book, token: str) -> dict:
    """The manifest of `book`, with every href signed by `token`."""
    package = package_of(book)
    base = reverse("reader:entry", args=[book.pk, token, "x"])[:-1]

    def href(path: str) -> str:
        return request.build_absolute_uri(base + quote(path))

    spine_paths = {item.href for item in package.spine}
    manifest = {
        "@context": CONTEXT,
        "metadata": _metadata(book, package),
        "links": [
            {
                "rel": "self",
                "href": request.build_absolute_uri(reverse("reader:manifest", args=[book.pk])),
                "type": "application/webpub+json",
            }
        ],
        "readingOrder": [_link(item, href) for item in package.spine],
        "resources": [_link(item, href) for item in package.items if item.href not in spine_paths],
        "toc": [_toc_entry(entry, href) for entry in package.toc],
    }
    return manifest


def _metadata(book, package) -> dict:
    metadata = {
        "@type": "http://schema.org/Book",
        "conformsTo": "https://readium.org/webpub-manifest/profiles/epub",
        "title": book.title or package.title,
        "language": book.language or package.language or "sv",
        "layout": "fixed" if book.layout == "fixed" or package.layout == "fixed" else "reflowable",
        "readingProgression": "rtl" if package.direction == "rtl" else "ltr",
    }
    if package.identifier:
        metadata["identifier"] = package.identifier
    authors = [a.name for a in book.authors] or package.authors
    if authors:
        metadata["author"] = authors
    if package.modified:
        metadata["modified"] = package.modified
    if book.description:
        metadata["description"] = book.description
    return metadata


def _link(item, href) -> dict:
    link = {"href": href(item.href), "type": item.media_type}
    page = next((p for p in item.spine_properties if p.startswith("page-spread-")), None)
    if page:
        link["properties"] = {"page": page.removeprefix("page-spread-")}
    if "cover-image" in item.properties:
        link["rel"] = "cover"
    return link


def _toc_entry(entry: dict, href) -> dict:
    path, _, fragment = entry["href"].partition("#")
    link = {"href": href(path) + (f"#{fragment}" if fragment else ""), "title": entry["title"]}
    if entry.get("children"):
        link["children"] = [_toc_entry(child, href) for child in entry["children"]]
    return link
