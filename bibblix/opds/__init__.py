"""OPDS catalogues of the children's library: OPDS 1.2 (Atom) at /opds/v1/, OPDS 2.0 (JSON) at
/opds/v2/, and Authentication for OPDS 1.0 documents for each library's card login.

`selection` decides which books a feed lists (the same for both versions), `v1` and `v2` write
them out, `auth` checks a child's library card sent with HTTP Basic, `views` glues them together.
"""
