"""Notifications, after publishing: a portfolio and the record of what was sent in; messages out.

`portal notify` tells each customer's contacts (and team members copied) what
changed since their last message, what they owe and when, and links to the
portal. `recipients` says who gets what (`notify:` in the YAML); `compose`
turns the customer's view (history, facts, reminders due) into one Message
per recipient, rendered by `render` from templates/ and checked by the leak
guard; `deliver` sends them (SMTP, chat webhooks) or writes them for review
(--dry-run); `state` is the record that makes sending exactly once; `link`
is the one place a customer's portal address is made; `run` ties them.
"""
