"""What `portal` does: one module per command family, over the stages below.

`cli` parses arguments and is the one place that turns an error into
`error: message` and an exit code; `serve` is the live preview, `publish`
adds versions, `scaffold` writes new portfolios, customers, projects and
status updates from `scaffold_templates/`.
"""
