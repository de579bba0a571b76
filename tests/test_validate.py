"""Every validation rule, as data: a defect and the exact `file:line:col: message` it must produce."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.i18n.languages import SHIPPED
from generator.portfolio.validate import validate_portfolio
from tests.conftest import TODAY, Link
from tests.test_build import run

W = "acme/web/"
P = "projects/acme/web/"
PLAN = """\
milestones:
  - id: M1
    title: Design sign-off
    baseline: 2026-10-01
  - id: M2
    title: Launch
    baseline: 2026-12-01
    depends_on: [M1]
"""

SHIPS = ", ".join(SHIPPED)
"""The languages the portal has its own words in, as messages name them."""
GLOBEX = {"globex/customer.yml": "name: Globex\n", "globex/web/project.yml": "name: Globex web\n",
          "globex/web/status.yml": "- {date: 2026-11-20, health: green, summary: Globex only}\n"}
"""A second customer, for links from one customer's folder into another's."""

# (case id, files written over the minimal portfolio, expected start of one reported line)
CASES = [
    ("customer-missing-name", {"acme/customer.yml": "site_url: x\n"},
     "projects/acme/customer.yml:1:1: missing required field 'name'"),
    ("customer-unknown-key", {"acme/customer.yml": "name: A\nlanguge: en\n"},
     "projects/acme/customer.yml:2:1: unknown key 'languge'\n    hint: did you mean 'language'?"),
    ("customer-unknown-theme", {"acme/customer.yml": "name: A\ntheme: neon\n"},
     "projects/acme/customer.yml:2:8: theme 'neon' not found in themes/"),
    ("contact-notify-unknown-kind",
     {"acme/customer.yml": "name: A\ncontacts:\n  - {name: J, email: j@x, notify: [digset]}\n"},
     "projects/acme/customer.yml:3:36: notify must be one of 'digest' or 'reminders', not 'digset'"),
    ("contact-notify-other-word", {"acme/customer.yml": "name: A\ncontacts:\n  - {name: J, notify: all}\n"},
     "projects/acme/customer.yml:3:23: notify: expected `none` or a list such as [digest, reminders]"),
    ("contact-notify-without-email",
     {"acme/customer.yml": "name: A\ncontacts:\n  - {name: J, notify: [reminders]}\n"},
     "projects/acme/customer.yml:3:23: J has notify but no email\n"
     "    hint: add their email, or write notify: none"),
    ("customer-logo-in-another-folder", {"acme/customer.yml": "name: A\nlogo: ../globex/logo.png\n"},
     "projects/acme/customer.yml:2:7: logo '../globex/logo.png' must be a file name in the customer's"),
    ("customer-logo-absolute", {"acme/customer.yml": "name: A\nlogo: /etc/logo.png\n"},
     "projects/acme/customer.yml:2:7: logo '/etc/logo.png' must be a file name in the customer's folder"),
    ("customer-logo-not-a-picture", {"acme/customer.yml": "name: A\nlogo: customer.yml\n"},
     "projects/acme/customer.yml:2:7: logo 'customer.yml' is not a picture file"),
    ("customer-logo-missing", {"acme/customer.yml": "name: A\nlogo: logo.svg\n"},
     "projects/acme/customer.yml:2:7: logo file 'logo.svg' not found next to customer.yml"),
    ("customer-bad-colour", {"acme/customer.yml": "name: A\ncolour: blue\n"},
     "projects/acme/customer.yml:2:9: colour: expected a colour written #RRGGBB"),
    ("contact-missing-name", {"acme/customer.yml": "name: A\ncontacts:\n  - role: PO\n"},
     "projects/acme/customer.yml:3:5: missing required field 'name'"),
    ("project-bad-phase", {W + "project.yml": "name: W\nphase: building\n"},
     P + "project.yml:2:8: phase must be one of 'discovery', 'design', 'build', 'test', 'launch', "
     "'support' or 'closed', not 'building'"),
    ("project-impossible-date", {W + "project.yml": "name: W\nstart: 2026-02-30\n"},
     P + "project.yml:2:8: start: '2026-02-30' is not a real date"),
    ("project-date-format", {W + "project.yml": "name: W\nstart: 01/09/2026\n"},
     P + "project.yml:2:8: start: '01/09/2026' is not a date written YYYY-MM-DD"),
    ("project-end-before-start", {W + "project.yml": "name: W\nstart: 2026-09-01\nend: 2026-08-01\n"},
     P + "project.yml:3:6: end 2026-08-01 is before start 2026-09-01"),
    ("project-cadence-not-whole", {W + "project.yml": "name: W\ncadence_days: 7.5\n"},
     P + "project.yml:2:15: cadence_days: '7.5' is not a whole number"),
    ("budget-not-number", {W + "project.yml": "name: W\nbudget:\n  approved: 12k\n"},
     P + "project.yml:3:13: approved: '12k' is not a number"),
    ("budget-not-mapping", {W + "project.yml": "name: W\nbudget: 1000\n"},
     P + "project.yml:2:9: budget must be a mapping of keys, not text"),
    ("team-ask-about-scalar", {W + "project.yml": "name: W\nteam:\n  - name: S\n    ask_about: scope\n"},
     P + "project.yml:4:16: ask_about must be a list, not text"),
    ("expectation-bad-status",
     {W + "project.yml": "name: W\nexpectations:\n  - id: E1\n    text: Fast\n    status: ok\n"},
     P + "project.yml:5:13: status must be one of 'on-track', 'at-risk', 'met' or 'missed', not 'ok'"),
    ("expectation-duplicate-id",
     {W + "project.yml": "name: W\nexpectations:\n  - {id: E1, text: a}\n  - {id: E1, text: b}\n"},
     P + "project.yml:4:10: duplicate id 'E1'"),
    ("customer-internal", {"acme/customer.yml": "name: A\nvisibility: internal\n"},
     "projects/acme/customer.yml:2:13: visibility must be 'customer', not 'internal'\n"
     "    hint: customer.yml cannot be internal: the portal is the customer's own; "
     "mark projects (project.yml) or items internal instead"),
    ("visibility-bad-value", {W + "project.yml": "name: W\nvisibility: secret\n"},
     P + "project.yml:2:13: visibility must be one of 'customer' or 'internal', not 'secret'"),
    ("status-not-list", {W + "status.yml": "date: 2026-11-20\n"},
     P + "status.yml:1:1: status.yml must be a list of status updates"),
    ("status-missing-summary", {W + "status.yml": "- date: 2026-11-20\n  health: green\n"},
     P + "status.yml:1:3: missing required field 'summary'"),
    ("status-bad-health", {W + "status.yml": "- date: 2026-11-20\n  health: yellow\n  summary: s\n"},
     P + "status.yml:2:11: health must be one of 'green', 'amber' or 'red', not 'yellow'"),
    ("status-bad-dimension",
     {W + "status.yml": "- date: 2026-11-20\n  health: red\n  schedule: late\n  summary: s\n"},
     P + "status.yml:3:13: schedule must be one of 'green', 'amber' or 'red', not 'late'"),
    ("status-duplicate-date",
     {W + "status.yml": "- {date: 2026-11-20, health: red, summary: a}\n"
                        "- {date: 2026-11-20, health: red, summary: b}\n"},
     P + "status.yml:2:10: duplicate date '2026-11-20'"),
    ("status-empty-summary", {W + "status.yml": "- date: 2026-11-20\n  health: red\n  summary: ''\n"},
     P + "status.yml:3:12: summary must not be empty"),
    ("status-done-mapping",
     {W + "status.yml": "- date: 2026-11-20\n  health: red\n  summary: s\n  done:\n    a: b\n"},
     P + "status.yml:5:5: done must be a list, not mapping"),
    ("plan-missing-baseline", {W + "plan.yml": "milestones:\n  - id: M1\n    title: T\n"},
     P + "plan.yml:2:5: missing required field 'baseline'"),
    ("plan-duplicate-id", {W + "plan.yml": PLAN + "  - id: M1\n    title: Again\n    baseline: 2026-10-01\n"},
     P + "plan.yml:9:9: duplicate id 'M1'"),
    ("plan-dangling-dependency", {W + "plan.yml": PLAN.replace("[M1]", "[M1, M7]")},
     P + "plan.yml:8:22: depends_on names milestone 'M7', which does not exist"),
    ("plan-cycle", {W + "plan.yml": PLAN.replace("    baseline: 2026-10-01\n",
                                                 "    baseline: 2026-10-01\n    depends_on: [M2]\n")},
     P + "plan.yml:5:17: depends_on forms a cycle: M1 -> M2 -> M1"),
    ("plan-done-without-actual", {W + "plan.yml": PLAN + "    status: done\n"},
     P + "plan.yml:9:13: milestone is done but has no actual date"),
    ("plan-bad-owner", {W + "plan.yml": PLAN + "    owner: client\n"},
     P + "plan.yml:9:12: owner must be one of 'customer' or 'vendor', not 'client'"),
    ("plan-bad-status", {W + "plan.yml": PLAN + "    status: late\n"},
     P + "plan.yml:9:13: status must be one of 'planned', 'in-progress', 'at-risk', 'done' or 'cancelled'"),
    ("decision-missing-status",
     {W + "decisions.yml": "- id: D1\n  date: 2026-11-02\n  title: T\n"},
     P + "decisions.yml:1:3: missing required field 'status'"),
    ("decision-dangling-supersedes",
     {W + "decisions.yml": "- {id: D1, date: 2026-11-02, title: T, status: accepted, supersedes: D0}\n"},
     P + "decisions.yml:1:70: supersedes names decision 'D0', which does not exist"),
    ("decision-supersedes-itself",
     {W + "decisions.yml": "- {id: D1, date: 2026-11-02, title: T, status: accepted, supersedes: D1}\n"},
     P + "decisions.yml:1:70: a decision cannot supersede itself"),
    ("decision-decided-by-scalar",
     {W + "decisions.yml":
      "- {id: D1, date: 2026-11-02, title: T, status: accepted, decided_by: {a: b}}\n"},
     P + "decisions.yml:1:70: decided_by must be a list, not mapping"),
    ("question-dangling-blocks",
     {W + "plan.yml": PLAN,
      W + "questions.yml": "- id: Q1\n  asked: 2026-11-01\n  question: Q?\n  owner: customer\n"
                           "  blocks: [M1, M3]\n"},
     P + "questions.yml:5:16: blocks names milestone 'M3', which does not exist"),
    ("question-blocks-without-plan",
     {W + "questions.yml":
      "- id: Q1\n  asked: 2026-11-01\n  question: Q?\n  owner: customer\n  blocks: [M1]\n"},
     P + "questions.yml:5:12: blocks names milestone 'M1', which does not exist"),
    ("question-answered-without-answer",
     {W + "questions.yml": "- id: Q1\n  asked: 2026-11-01\n  question: Q?\n  owner: vendor\n"
                           "  status: answered\n  answered: 2026-11-02\n"},
     P + "questions.yml:5:11: question is answered but has no 'answer'"),
    ("question-answered-without-date",
     {W + "questions.yml": "- id: Q1\n  asked: 2026-11-01\n  question: Q?\n  owner: vendor\n"
                           "  status: answered\n  answer: Yes\n"},
     P + "questions.yml:5:11: question is answered but has no 'answered'"),
    ("question-open-with-answer",
     {W + "questions.yml": "- id: Q1\n  asked: 2026-11-01\n  question: Q?\n  owner: vendor\n"
                           "  answer: Yes\n"},
     P + "questions.yml:5:11: question is open but has 'answer'"),
    ("question-answered-before-asked",
     {W + "questions.yml": "- id: Q1\n  asked: 2026-11-05\n  question: Q?\n  owner: vendor\n"
                           "  status: answered\n  answer: Yes\n  answered: 2026-11-01\n"},
     P + "questions.yml:7:13: answered 2026-11-01 is before asked 2026-11-05"),
    ("question-missing-owner",
     {W + "questions.yml": "- id: Q1\n  asked: 2026-11-05\n  question: Q?\n"},
     P + "questions.yml:1:3: missing required field 'owner'"),
    ("change-approved-without-decided",
     {W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  status: approved\n"},
     P + "changes.yml:4:11: change request is approved but has no 'decided' date"),
    ("change-rejected-without-decided",
     {W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  status: rejected\n"},
     P + "changes.yml:4:11: change request is rejected but has no 'decided' date"),
    ("change-proposed-with-decided",
     {W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  decided: 2026-11-06\n"},
     P + "changes.yml:4:12: change request is proposed but has a 'decided' date"),
    ("change-proposed-with-decided-by",
     {W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  decided_by: Jane\n"},
     P + "changes.yml:4:15: change request is proposed but has 'decided_by'"),
    ("decision-proposed-with-decided-by",
     {W + "decisions.yml": "- id: D1\n  date: 2026-11-05\n  title: T\n  status: proposed\n"
                           "  decided_by: [Jane]\n"},
     P + "decisions.yml:5:15: decision is proposed but has 'decided_by'"),
    ("milestone-cancelled-with-forecast",
     {W + "plan.yml": "milestones:\n  - id: M1\n    title: T\n    baseline: 2026-12-01\n"
                      "    status: cancelled\n    forecast: 2026-12-10\n"},
     P + "plan.yml:6:15: milestone is cancelled but has a forecast"),
    ("change-decided-before-requested",
     {W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  status: approved\n"
                         "  decided: 2026-11-01\n"},
     P + "changes.yml:5:12: decided 2026-11-01 is before requested 2026-11-05"),
    ("change-impact-days-fraction",
     {W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  impact:\n    days: 2.5\n"},
     P + "changes.yml:5:11: days: '2.5' is not a whole number"),
    ("change-impact-bad-estimate",
     {W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  impact:\n    estimate: guess\n"},
     P + "changes.yml:5:15: estimate must be one of 'gut' or 'discovery', not 'guess'"),
    ("change-impact-dangling-milestone",
     {W + "plan.yml": PLAN,
      W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  impact:\n    milestones: [M9]\n"},
     P + "changes.yml:5:18: impact.milestones names milestone 'M9', which does not exist"),
    ("change-duplicate-id",
     {W + "changes.yml":
      "- {id: CR1, requested: 2026-11-05, title: T}\n- {id: CR1, requested: 2026-11-05, title: U}\n"},
     P + "changes.yml:2:8: duplicate id 'CR1'"),
    ("risk-bad-likelihood",
     {W + "risks.yml": "- {id: R1, title: T, likelihood: very, impact: high}\n"},
     P + "risks.yml:1:34: likelihood must be one of 'low', 'medium' or 'high', not 'very'"),
    ("risk-bad-status",
     {W + "risks.yml": "- {id: R1, title: T, likelihood: low, impact: high, status: done}\n"},
     P + "risks.yml:1:61: status must be one of 'open' or 'closed', not 'done'"),
    ("feedback-score-without-scale",
     {W + "feedback.yml": "- {id: F1, date: 2026-11-01, score: 7}\n"},
     P + "feedback.yml:1:37: score needs a scale"),
    ("feedback-score-above-scale",
     {W + "feedback.yml": "- {id: F1, date: 2026-11-01, score: 12, scale: 10}\n"},
     P + "feedback.yml:1:37: score 12 is outside 0..10"),
    ("feedback-responses-text",
     {W + "feedback.yml": "- {id: F1, date: 2026-11-01, responses: many}\n"},
     P + "feedback.yml:1:41: responses: 'many' is not a whole number"),
    ("yaml-duplicate-key", {W + "project.yml": "name: W\nname: V\n"},
     P + "project.yml:2:1: duplicate key 'name' (first written at line 1)"),
    ("yaml-syntax-error", {W + "project.yml": "name: [W\n"},
     P + "project.yml:1:7: YAML syntax error: this '[' is never closed with ']'"),
    ("yaml-colon-in-text", {W + "project.yml": "name: W\nsummary: Note: this\n"},
     P + "project.yml:2:14: YAML syntax error: this text holds ': ', which YAML reads as the start of "
     "another key\n"
     "    hint: put the text in quotes"),
    ("yaml-key-indented-more", {W + "project.yml": "name: W\nbudget:\n  approved: 1\n   spent: 2\n"},
     P + "project.yml:4:4: YAML syntax error: 'spent: 2' is indented more than the line above it"),
    ("yaml-key-indented-less", {W + "project.yml": "name: W\nbudget:\n    approved: 1\n  spent: 2\n"},
     P + "project.yml:4:3: YAML syntax error: 'spent: 2' is not lined up with the keys above it\n"
     "    hint: the keys of one mapping start in the same column"),
    ("yaml-list-item-misaligned",
     {W + "status.yml": "- {date: 2026-11-20, health: red, summary: a}\n"
                        " - {date: 2026-11-21, health: red}\n"},
     P + "status.yml:2:2: YAML syntax error: '- {date: 2026-11-21, health: red}' is not lined up with "
     "the list items above it"),
    ("yaml-key-without-colon", {W + "project.yml": "name: W\nphase\nsummary: x\n"},
     P + "project.yml:2:1: YAML syntax error: 'phase' has no ':' after its key"),
    ("yaml-unclosed-quote", {W + "project.yml": "name: 'W\nphase: build\n"},
     P + "project.yml:1:7: YAML syntax error: this quote is never closed"),
    ("yaml-list-where-key", {W + "project.yml": "name: W\n- x\n"},
     P + "project.yml:2:1: YAML syntax error: a list item where a key is expected"),
    ("yaml-at-sign", {W + "project.yml": "name: @W\n"},
     P + "project.yml:1:7: YAML syntax error: a value cannot start with '@'"),
    ("date-a-list", {W + "project.yml": "name: W\nstart: [2026-09-01]\n"},
     P + "project.yml:2:8: start: a list is not a date written YYYY-MM-DD"),
    ("literal-empty", {W + "status.yml": "- {date: 2026-11-20, health: , summary: s}\n"},
     P + "status.yml:1:30: health must not be empty\n    hint: one of: green, amber, red"),
    ("literal-a-mapping", {W + "project.yml": "name: W\nvisibility: {a: b}\n"},
     P + "project.yml:2:13: visibility must be one of 'customer' or 'internal', not a mapping"),
    ("language-empty", {"acme/customer.yml": "name: A\nlanguage:\n"},
     "projects/acme/customer.yml:2:10: language must not be empty\n"
     f"    hint: the portal ships {SHIPS};"),
    ("yaml-tab-indent", {W + "project.yml": "name: W\nbudget:\n\tapproved: 1\n"},
     P + "project.yml:3:1: tab character in indentation"),
    ("yaml-empty-file", {W + "status.yml": ""}, P + "status.yml:1:1: file is empty"),
    ("yaml-two-documents", {W + "project.yml": "name: W\n---\nname: V\n"},
     P + "project.yml:3:1: more than one YAML document in this file"),
    ("yaml-not-utf8", {W + "project.yml": b"name: caf\xe9\n"},
     P + "project.yml:1:10: not UTF-8 text (byte 0xe9)"),
    ("yaml-merge-key", {W + "project.yml": "name: W\n<<: {phase: build}\n"},
     P + "project.yml:2:1: merge keys (<<) are not supported"),
    ("yaml-alias-bomb", {W + "project.yml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                         + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                                   for p, c in zip("abcdefgh", "bcdefghi", strict=True))},
     P + "project.yml:1:1: more than 200,000 values after expanding aliases"),
    ("yaml-too-deep", {W + "project.yml": "name: W\nphase: " + "[" * 600 + "]" * 600 + "\n"},
     P + "project.yml:2:108: values nested more than 100 levels deep"),
    ("yaml-huge-file", {W + "status.yml": "# " + "x" * (3 * 1024 * 1024) + "\n"},
     P + "status.yml: file is 3,145,731 bytes"),
    ("date-year-9999", {W + "plan.yml": "milestones:\n  - {id: M1, title: T, baseline: 9999-12-15}\n"},
     P + "plan.yml:2:34: baseline: 9999-12-15 is after 2099-12-31, the latest date a portfolio may hold"),
    ("date-due-9999",
     {W + "questions.yml": "- {id: Q1, asked: 2026-11-01, question: Q, owner: customer, due: 9999-12-31}\n"},
     P + "questions.yml:1:66: due: 9999-12-31 is after 2099-12-31, the latest date a portfolio may hold"),
    ("date-year-0001", {W + "project.yml": "name: W\nstart: 0001-01-01\n"},
     P + "project.yml:2:8: start: 0001-01-01 is before 1970-01-01, the earliest date a portfolio may hold"),
    ("money-infinite", {W + "project.yml": "name: W\nbudget:\n  approved: 1e999\n"},
     P + "project.yml:3:13: approved must be a finite number, not 1e999"),
    ("money-negative", {W + "project.yml": "name: W\nbudget:\n  spent: -3\n"},
     P + "project.yml:3:10: spent must be at least 0, not -3"),
    ("money-a-trillion", {W + "project.yml": "name: W\nbudget:\n  forecast: 1000000000000\n"},
     P + "project.yml:3:13: forecast must be less than 1,000,000,000,000, not 1000000000000"),
    ("cadence-negative", {W + "project.yml": "name: W\ncadence_days: -5\n"},
     P + "project.yml:2:15: cadence_days must be at least 1, not -5"),
    ("cadence-over-a-year", {W + "project.yml": "name: W\ncadence_days: 366\n"},
     P + "project.yml:2:15: cadence_days must be at most 365, not 366"),
    ("impact-days-huge",
     {W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  impact:\n"
                         "    days: 1000000000000000000000000000000\n"},
     P + "changes.yml:5:11: days must be at most 36,500, not 1000000000000000000000000000000"),
    ("impact-cost-infinite",
     {W + "changes.yml": "- id: CR1\n  requested: 2026-11-05\n  title: T\n  impact:\n    cost: -1e999\n"},
     P + "changes.yml:5:11: cost must be a finite number, not -1e999"),
    ("feedback-responses-negative", {W + "feedback.yml": "- {id: F1, date: 2026-11-01, responses: -1}\n"},
     P + "feedback.yml:1:41: responses must be at least 0, not -1"),
    ("feedback-scale-infinite",
     {W + "feedback.yml": "- {id: F1, date: 2026-11-01, score: 7, scale: 1e999}\n"},
     P + "feedback.yml:1:47: scale must be a finite number, not 1e999"),
    ("yaml-nul-byte", {W + "project.yml": b"name: W\nsummary: a\x00b\n"},
     P + "project.yml:2:11: file contains a NUL byte: not a text file"),
    ("language-xx", {"acme/customer.yml": "name: A\nlanguage: xx\n"},
     f"projects/acme/customer.yml:2:11: unknown language 'xx'\n    hint: the portal ships {SHIPS}; "
     "the theme's other languages build with the portal's own words in English: af, ar, az, "),
    ("language-no", {"acme/customer.yml": "name: A\nlanguage: no\n"},  # Norwegian's ISO code: Bokmål here
     f"projects/acme/customer.yml:2:11: unknown language 'no'\n    hint: did you mean 'nb'? "
     f"the portal ships {SHIPS}"),
    ("language-a-name", {"acme/customer.yml": "name: A\nlanguage: English\n"},
     "projects/acme/customer.yml:2:11: unknown language 'English'\n    hint: did you mean 'en'? "
     f"the portal ships {SHIPS} (and builds the theme's other languages with its own words in "
     "English)"),
    ("language-misspelt", {"acme/customer.yml": "name: A\nlanguage: pt-br\n"},
     "projects/acme/customer.yml:2:11: unknown language 'pt-br'\n    hint: did you mean 'pt-BR'?"),
    *[(f"language-written-{written}", {"acme/customer.yml": f"name: A\nlanguage: {written}\n"},
       f"projects/acme/customer.yml:2:11: unknown language '{written}'\n    hint: did you mean '{meant}'? "
       f"the portal ships {SHIPS}")
      for written, meant in (("DE", "de"), ("de_DE", "de"), ("de-DE", "de"), ("German", "de"),
                             ("Deutsch", "de"), ("Français", "fr"), ("Nederlands", "nl"), ("FR_ca", "fr"),
                             ("zh_TW", "zh-TW"))],
    ("language-a-path", {"acme/customer.yml": "name: A\nlanguage: ../../etc/passwd\n"},
     "projects/acme/customer.yml:2:11: unknown language '../../etc/passwd'"),
    ("theme-parent-folder", {"acme/customer.yml": "name: A\ntheme: ..\n"},
     "projects/acme/customer.yml:2:8: theme: '..' is not a folder name"),
    ("theme-misspelt", {"acme/customer.yml": "name: A\ntheme: defalt\n"},
     "projects/acme/customer.yml:2:8: theme 'defalt' not found in themes/\n"
     "    hint: did you mean 'default'?"),
    ("theme-without-pages", {"acme/customer.yml": "name: A\ntheme: plain\n", "../themes/plain/x.txt": "x\n"},
     "projects/acme/customer.yml:2:8: theme 'plain' has no pages/ folder"),
    ("site-url-javascript", {"acme/customer.yml": "name: A\nsite_url: 'javascript:alert(1)'\n"},
     "projects/acme/customer.yml:2:11: site_url: 'javascript:alert(1)' is not an http:// or https://"),
    ("site-url-no-scheme", {"acme/customer.yml": "name: A\nsite_url: portal.example.com/acme/\n"},
     "projects/acme/customer.yml:2:11: site_url: 'portal.example.com/acme/' is not an http:// or https://"),
    ("layout-unknown-file", {W + "statsu.yml": "[]\n"},
     P + "statsu.yml: unknown file 'statsu.yml'\n    hint: did you mean 'status.yml'?"),
    ("layout-upper-case-slug", {"Acme/customer.yml": "name: A\n"},
     "projects/Acme: folder name 'Acme' is not a valid customer slug"),
    ("layout-bad-project-slug", {"acme/Web_Site/project.yml": "name: W\n"},
     "projects/acme/Web_Site: folder name 'Web_Site' is not a valid project slug"),
    ("layout-missing-customer-yml", {"globex/web/project.yml": "name: W\n"},
     "projects/globex: customer folder has no customer.yml"),
    ("layout-missing-project-yml", {"acme/app/status.yml": "[]\n"},
     "projects/acme/app: project folder has no project.yml"),
    ("layout-stray-file", {"README.md": "hello\n"},
     "projects/README.md: unexpected file 'README.md'"),
    ("layout-content-not-markdown", {"acme/content/logo.png": b"\x89PNG"},
     "projects/acme/content/logo.png: 'logo.png' is not a Markdown page"),
    ("layout-project-subfolder", {W + "notes/a.md": "x\n"},
     P + "notes: unknown folder 'notes'"),
    # One customer per portal: a file is read only where its real path is its customer's folder or a
    # shared folder; a link anywhere else, to nowhere or in a loop is a problem at the link's own path.
    ("link-content-page-into-another-customer",
     {**GLOBEX, "acme/content/leak.md": Link("../../globex/web/status.yml")},
     "projects/acme/content/leak.md: symbolic link points into the folder of customer 'globex'\n"
     "    hint: copy the file instead of linking it"),
    ("link-project-file-into-another-customer",
     {**GLOBEX, W + "status.yml": Link("../../globex/web/status.yml")},
     P + "status.yml: symbolic link points into the folder of customer 'globex'"),
    ("link-project-folder-into-another-customer", {**GLOBEX, "acme/app": Link("../globex/web")},
     "projects/acme/app: symbolic link points into the folder of customer 'globex'"),
    ("link-content-folder-into-another-customer",
     {**GLOBEX, "globex/content/notes.md": "# Notes\n", "acme/content": Link("../globex/content")},
     "projects/acme/content: symbolic link points into the folder of customer 'globex'"),
    ("link-customer-folder-to-another-customer", {**GLOBEX, "initech": Link("globex")},
     "projects/initech: symbolic link points into the folder of customer 'globex'"),
    ("link-content-page-to-its-own-customers-yaml", {"acme/content/plan.md": Link("../web/project.yml")},
     "projects/acme/content/plan.md: symbolic link points outside projects/acme/content/"),
    ("link-project-file-up-to-the-customer-folder", {W + "status.yml": Link("../..")},
     P + "status.yml: symbolic link points outside projects/acme/"),
    ("link-project-file-outside-the-portfolio", {W + "status.yml": Link("/etc/hostname")},
     P + "status.yml: symbolic link points outside the portfolio"),
    ("link-shared-content-outside-the-portfolio", {"../content/os.md": Link("/etc/os-release")},
     "content/os.md: symbolic link points outside the portfolio"),
    ("link-shared-content-into-a-customer", {"../content/acme.md": Link("../projects/acme/web/project.yml")},
     "content/acme.md: symbolic link points into the folder of customer 'acme'"),
    ("link-shared-content-folder-elsewhere", {"../notes/a.md": "# A\n", "../content": Link("notes")},
     "content: symbolic link points outside content/"),
    ("link-theme-file-into-a-customer",
     {"../themes/default/overrides/assets/acme.txt": Link("../../../../projects/acme/customer.yml")},
     "themes/default/overrides/assets/acme.txt: symbolic link points into the folder of customer 'acme'"),
    ("link-mkdocs-yml-into-a-customer", {"../mkdocs.yml": Link("projects/acme/customer.yml")},
     "mkdocs.yml: symbolic link points into the folder of customer 'acme'"),
    ("link-to-itself", {"acme/content/loop.md": Link("loop.md")},
     "projects/acme/content/loop.md: symbolic link loops back on itself"),
    ("link-loop-of-two", {W + "risks.yml": Link("status.yml"), W + "status.yml": Link("risks.yml")},
     P + "risks.yml: symbolic link loops back on itself"),
    ("link-loop-in-shared-content", {"../content/loop.md": Link("loop.md")},
     "content/loop.md: symbolic link loops back on itself"),
    ("link-to-nothing", {W + "risks.yml": Link("gone.yml")},
     P + "risks.yml: symbolic link points to nothing"),
    ("content-page-not-utf8", {"acme/content/notes.md": b"# Notes\n\nCaf\xe9 au lait\n"},
     "projects/acme/content/notes.md:3:4: not UTF-8 text (byte 0xe9)\n    hint: save the file as UTF-8"),
    ("shared-content-page-not-utf8", {"../content/notes.md": b"\xff# Notes\n"},
     "content/notes.md:1:1: not UTF-8 text (byte 0xff)"),
    ("content-page-hidden", {"acme/content/.draft.md": "# Draft\n"},
     "projects/acme/content/.draft.md: hidden file '.draft.md' cannot be a page"),
    ("shared-content-page-hidden", {"../content/.draft.md": "# Draft\n"},
     "content/.draft.md: hidden file '.draft.md' cannot be a page"),
    *[(f"project-named-{name}", {f"acme/{name}/project.yml": "name: W\n"},
       f"projects/acme/{name}: a project folder may not be named '{name}'")
      for name in ("about", "assets", "search", "history")],
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_defect_is_reported_at_its_position(portfolio, files: dict[str, str], expected: str) -> None:
    model, problems = validate_portfolio(portfolio(files))
    assert model is None
    lines = [str(p) for p in problems]
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)


def test_all_problems_of_a_run_are_reported_together(portfolio) -> None:
    projects = portfolio({
        "acme/customer.yml": "name: A\nlanguge: en\n",
        W + "status.yml": "- date: 2026-11-20\n  health: yellow\n  summary: s\n",
        W + "statsu.yml": "[]\n",
        "globex/customer.yml": "nam: G\n",
    })
    _, problems = validate_portfolio(projects)
    assert {p.path for p in problems} == {
        "projects/acme/customer.yml", P + "status.yml", P + "statsu.yml", "projects/globex/customer.yml"}


def test_a_misspelt_required_key_is_one_problem(portfolio) -> None:
    projects = portfolio({W + "plan.yml": "milestones:\n  - {id: M1, title: T, baselin: 2026-10-01}\n"})
    _, problems = validate_portfolio(projects)
    assert [str(p) for p in problems] == [
        P + "plan.yml:2:24: unknown key 'baselin'\n    hint: did you mean 'baseline'?"]


def test_cross_file_problems_come_with_the_per_file_ones(portfolio) -> None:
    """One run lists a dangling reference even while other items of both files are broken."""
    projects = portfolio({
        W + "plan.yml": PLAN + "    status: late\n",
        W + "questions.yml": "- {id: Q1, asked: 2026-11-01, question: Q?, owner: client}\n"
                             "- {id: Q2, asked: 2026-11-01, question: R?, owner: customer,"
                             " blocks: [M1, M9]}\n",
        W + "decisions.yml": "- {id: D1, date: 2026-11-02, title: T, status: maybe}\n"
                             "- {id: D2, date: 2026-11-02, title: U, status: accepted, supersedes: D1}\n"
                             "- {id: D3, date: 2026-11-02, title: V, status: accepted, supersedes: D7}\n",
    })
    _, problems = validate_portfolio(projects)
    assert [str(p).split("\n")[0] for p in problems] == [
        P + "decisions.yml:1:48: status must be one of 'proposed', 'accepted', 'rejected' or 'superseded', "
        "not 'maybe'",
        P + "decisions.yml:3:70: supersedes names decision 'D7', which does not exist",
        P + "plan.yml:9:13: status must be one of 'planned', 'in-progress', 'at-risk', 'done' or "
        "'cancelled', not 'late'",
        P + "questions.yml:1:52: owner must be one of 'customer' or 'vendor', not 'client'",
        P + "questions.yml:2:75: blocks names milestone 'M9', which does not exist",
    ]


def test_no_message_speaks_python(portfolio) -> None:
    """Every field of every file given a mapping, a list, nothing and a word: no Python in the answer."""
    import typing

    from generator.portfolio.model import FILE_MODELS

    python = re.compile(r"\bNone\b|\bdict\b|NoneType|\bstr\b|\bint\b|\bfloat\b|\btuple\b|Input should|"
                        r"[\[{]'|Value error")
    spoken = []
    for filename, shape in FILE_MODELS.items():
        listed = typing.get_origin(shape) is list
        model = typing.get_args(shape)[0] if listed else shape
        where = "acme/customer.yml" if filename == "customer.yml" else W + filename
        for field in model.model_fields:
            for value in ("{a: b}", "[a]", "", "x", "[{a: b}]"):
                text = f"{field}: {value}\n"
                files = {where: "- " + text if listed else text}
                _, problems = validate_portfolio(portfolio(files))
                spoken += [str(p) for p in problems if python.search(p.message)]
    assert spoken == []


def test_text_fields_keep_what_was_written(portfolio) -> None:
    projects = portfolio({
        "acme/customer.yml": "name: no\ncontacts: [{name: A, role: on}]\n",
        W + "project.yml": "name: 1.10\nsummary: 2026-01-01\n",
        W + "status.yml": "- {date: '2026-11-20', health: green, summary: yes, done: [no, 1.0]}\n",
    })
    model, problems = validate_portfolio(projects)
    assert problems == []
    customer = model.customers[0]
    assert (customer.info.name, customer.info.contacts[0].role) == ("no", "on")
    project = customer.projects[0]
    assert (project.info.name, project.info.summary) == ("1.10", "2026-01-01")
    assert project.updates[0].summary == "yes"
    assert project.updates[0].done == ["no", "1.0"]


def test_extension_keys_are_ignored_and_bom_and_crlf_are_read(portfolio) -> None:
    projects = portfolio({
        "acme/customer.yml": b"\xef\xbb\xbfname: Acme\r\nx-crm-id: 42\r\n",
        W + "project.yml": "name: W\nbudget:\n  x-cost-centre: 7\n  approved: 100\n",
    })
    model, problems = validate_portfolio(projects)
    assert problems == []
    assert model.customers[0].info.name == "Acme"
    assert model.customers[0].projects[0].info.budget.approved == 100


def test_crlf_file_reports_true_line(portfolio) -> None:
    projects = portfolio({W + "project.yml": b"name: W\r\nphase: nope\r\n"})
    _, problems = validate_portfolio(projects)
    assert str(problems[0]).startswith(P + "project.yml:2:8: phase must be one of")


def test_symlink_outside_portfolio_is_refused(portfolio, tmp_path: Path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-secret.yml"
    secret.write_text("- {date: 2026-11-20, health: green, summary: other customer}\n")
    projects = portfolio()
    (projects / "acme/web/status.yml").symlink_to(secret)
    _, problems = validate_portfolio(projects)
    assert [str(p) for p in problems] == [
        P + "status.yml: symbolic link points outside the portfolio\n"
        "    hint: copy the file instead of linking it: a portal is built only from its customer's folder "
        "and the shared files"]


def test_links_inside_the_customers_own_folder_stay_allowed(portfolio) -> None:
    projects = portfolio({"acme/content/notes.md": "# Notes\n", "acme/content/again.md": Link("notes.md"),
                          "acme/web/status.yml": "- {date: 2026-11-20, health: green, summary: Done}\n",
                          "acme/app/project.yml": "name: App\n",
                          "acme/app/status.yml": Link("../web/status.yml")})
    model, problems = validate_portfolio(projects)
    assert problems == []
    assert [p.name for p in model.customers[0].pages] == ["again.md", "notes.md"]
    assert model.customers[0].projects[0].updates[0].summary == "Done"


def test_logo_linking_outside_the_customers_folder_is_refused(portfolio) -> None:
    projects = portfolio({"acme/customer.yml": "name: A\nlogo: logo.png\n",
                          "globex/customer.yml": "name: G\n", "globex/logo.png": b"\x89PNG"})
    (projects / "acme/logo.png").symlink_to(projects / "globex/logo.png")
    _, problems = validate_portfolio(projects)
    assert [str(p).split("\n")[0] for p in problems] == [
        "projects/acme/logo.png: symbolic link points into the folder of customer 'globex'"]


def test_a_logo_in_the_customers_folder_is_accepted(portfolio) -> None:
    projects = portfolio({"acme/customer.yml": "name: A\nlogo: Logo.PNG\ncolour: '#0b4f6c'\n",
                          "acme/Logo.PNG": b"\x89PNG"})
    model, problems = validate_portfolio(projects)
    assert problems == [] and model.customers[0].logo == projects / "acme/Logo.PNG"


def test_only_named_customers_are_read(portfolio) -> None:
    projects = portfolio({"globex/customer.yml": "nam: broken\n"})
    model, problems = validate_portfolio(projects, only=["acme"])
    assert problems == [] and [c.slug for c in model.customers] == ["acme"]
    _, problems = validate_portfolio(projects, only=["acne"])
    assert "no customer 'acne' in the portfolio" in str(problems[0])
    assert "did you mean 'acme'?" in str(problems[0])


def test_internal_plan_makes_every_milestone_internal(portfolio) -> None:
    projects = portfolio({W + "plan.yml": "visibility: internal\n" + PLAN})
    model, _ = validate_portfolio(projects)
    assert {m.visibility for m in model.customers[0].projects[0].milestones} == {"internal"}


NB_NOTE = (f"projects/acme/customer.yml:2:11: the portal ships its own words in {SHIPS} only, so in "
           "language 'nb' they stay English; dates, numbers, money and the theme's interface "
           "(search, navigation) follow 'nb'")
"""The warning for a theme language the portal has no catalog for, at the `language` line."""


def test_a_theme_language_without_the_portals_words_validates_with_a_warning(portfolio) -> None:
    """`language: nb` built before the portal had catalogs: it still does, and `portal validate` says
    what its reader will get, in text and in JSON."""
    projects = portfolio({"acme/customer.yml": "name: A\nlanguage: nb\n",
                          "globex/customer.yml": f"name: G\nlanguage: {SHIPPED[-1]}\n"})
    text = run("validate", "--projects", str(projects))
    assert text.returncode == 0, text.stderr
    assert text.stderr.splitlines() == [f"warning: {NB_NOTE}"]
    machine = run("validate", "--projects", str(projects), "--format", "json")
    assert machine.returncode == 0 and json.loads(machine.stdout)["warnings"] == [NB_NOTE]


def test_a_theme_language_without_the_portals_words_builds_with_a_warning(portfolio, tmp_path: Path) -> None:
    projects = portfolio({"acme/customer.yml": "name: A\nlanguage: nb\n"})
    built = run("build", "--projects", str(projects), "--out", str(tmp_path / "site"), "--today", TODAY,
                "--format", "json")
    assert built.returncode == 0, built.stdout
    assert json.loads(built.stdout)["warnings"] == [NB_NOTE]
    home = (tmp_path / "site/acme/index.html").read_text(encoding="utf-8")
    assert '<html lang="nb"' in home and "Website relaunch" in home


def test_corpus_has_at_least_sixty_defects() -> None:
    assert len({c[0] for c in CASES}) == len(CASES) >= 60


@pytest.mark.parametrize("case", ["yaml-alias-bomb", "yaml-huge-file"])
def test_hostile_files_are_refused_within_bounded_memory(portfolio, case: str) -> None:
    """The command itself, capped at 1 GiB of address space, refuses them cleanly."""
    import resource
    import subprocess
    import sys

    files, expected = next(c[1:] for c in CASES if c[0] == case)
    projects = portfolio(files)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = subprocess.run([sys.executable, "-m", "generator", "validate", "--projects", str(projects)],
                            capture_output=True, text=True, preexec_fn=cap, timeout=120, check=False)
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
