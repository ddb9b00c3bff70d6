"""Presentation of a case: letters, calendar files, tables and charts."""
