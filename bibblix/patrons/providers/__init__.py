"""Login providers: each library asks its own library system (SIP2) or the local card register.

Variants are sibling packages with the same shape: `check_card(...) -> outcome`. To add one,
copy a sibling; there is no plugin registry.
"""
