"""Stage 2b, history: git states of a customer's folder in; what changed, in words, out.

`gitstates` is the only module that runs git; `walk` loads and validates each
past state (kept in the machine cache) and filters it as the customer sees it;
`compare` and `changes` turn two states into typed changes; `changelog` and
`wording` say them for the pages, the feed and `portal diff`.
"""

from generator.history.walk import History, customer_history, diff_worktree

__all__ = ["History", "customer_history", "diff_worktree"]
