"""The portal's own words and formats in each customer's language (gettext catalogs, Babel's locale data)."""
