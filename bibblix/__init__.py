"""Bibblix: the children's e-book library of Swedish public libraries, and its back office."""
