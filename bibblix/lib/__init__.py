"""Plain helpers without models (money, dates, XML safety, logging)."""
