"""The ONIX 3.0 names and code values the catalogue reads (EDItEUR code lists by number)."""

# Short tags (ONIX 3.0 "short" schema) of the elements we read, and their reference names.
SHORT_TAGS = {
    "ONIXmessage": "ONIXMessage",
    "a001": "RecordReference",
    "b221": "ProductIDType",
    "b244": "IDValue",
    "b202": "TitleType",
    "x409": "TitleElementLevel",
    "x410": "PartNumber",
    "b203": "TitleText",
    "b029": "Subtitle",
    "b030": "TitlePrefix",
    "b031": "TitleWithoutPrefix",
    "b034": "SequenceNumber",
    "b035": "ContributorRole",
    "b036": "PersonName",
    "b037": "PersonNameInverted",
    "b039": "NamesBeforeKey",
    "b040": "KeyNames",
    "b047": "CorporateName",
    "b253": "LanguageRole",
    "b252": "LanguageCode",
    "b218": "ExtentType",
    "b219": "ExtentValue",
    "b220": "ExtentUnit",
    "b067": "SubjectSchemeIdentifier",
    "b069": "SubjectCode",
    "b070": "SubjectHeadingText",
    "b073": "AudienceCode",
    "b204": "AudienceCodeType",
    "b205": "AudienceCodeTypeName",
    "b206": "AudienceCodeValue",
    "b074": "AudienceRangeQualifier",
    "b075": "AudienceRangePrecision",
    "b076": "AudienceRangeValue",
    "b207": "AudienceDescription",
    "b334": "ProductFormFeatureType",
    "b335": "ProductFormFeatureValue",
    "b336": "ProductFormFeatureDescription",
    "x426": "TextType",
    "d104": "Text",
    "x436": "ResourceContentType",
    "x437": "ResourceMode",
    "x441": "ResourceForm",
    "x435": "ResourceLink",
    "x329": "CollectionType",
    "b081": "PublisherName",
    "b291": "PublishingRole",
    "x448": "PublishingDateRole",
    "b306": "Date",
}
# Composite elements are the reference names in lower case in the short schema.
COMPOSITES = [
    "Product",
    "ProductIdentifier",
    "DescriptiveDetail",
    "TitleDetail",
    "TitleElement",
    "Contributor",
    "Collection",
    "Language",
    "Extent",
    "Subject",
    "Audience",
    "AudienceRange",
    "ProductFormFeature",
    "CollateralDetail",
    "TextContent",
    "SupportingResource",
    "ResourceVersion",
    "PublishingDetail",
    "Publisher",
    "PublishingDate",
    "Header",
]
SHORT_TAGS.update({name.lower(): name for name in COMPOSITES})

# List 17: contributor roles we show; others (editors, designers...) are not listed to children.
ROLES = {"A01": "author", "A12": "illustrator", "A35": "illustrator", "B06": "translator"}
ROLES.update({"E07": "narrator", "E03": "narrator"})
# List 27: subject schemes.
SCHEMES = {"93": "thema", "94": "thema-place", "95": "thema-language", "96": "thema-time"}
SCHEMES.update({"97": "thema-education", "98": "thema-interest", "99": "thema-style"})
SCHEMES.update({"12": "bic", "10": "bisac", "20": "keyword", "32": "sab"})
