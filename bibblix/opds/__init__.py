"""OPDS catalogues of the children's library: OPDS 1.2 (Atom) at /opds/v1/, OPDS 2.0 (JSON) at
/opds/v2/, and Authentication for OPDS 1.0 documents for each library's card login.

An app above catalogue and lending, with no tables: `selection` decides which books a feed lists
(the same for both versions), `links` which links a feed and a book carry (with the child's loan
or hold from `lending.services.circulation`), `v1` and `v2` write them out, `auth` checks a
child's library card sent with HTTP Basic, `views` serves the feeds and `loan_views` borrowing,
returns and the child's shelf.
"""
