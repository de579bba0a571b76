"""Stage 5, build: a portfolio folder in; one checked portal per customer in the output out.

`portals` orchestrates (validate, render, build each portal in a staging
folder, leak-check, swap into place); `fingerprint` skips portals whose inputs
did not change; `guard` is the leak guard, `texts` what it knows of every
customer; `atomic` holds the output lock and
swaps folders in one step; `workers` runs portals in processes that die with
the build; `shard` splits customers between CI jobs.
"""
