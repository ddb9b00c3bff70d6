"""The team citation library: BibTeX in and out, look-ups, search, links to cases."""
