"""Stage 3, pages: the model, its facts and its history in; Markdown pages and feeds out.

`render` fills the theme's `pages/*.md.j2` templates, `markup` escapes and
sanitizes YAML text for them, `passthrough` carries charts through Markdown
untouched, and `feeds` writes the Atom feed and the calendar.
"""
