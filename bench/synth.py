"""A deterministic synthetic portfolio, for benchmarks: valid per docs/format.md, realistic in size.

    python bench/synth.py OUT_DIR --customers 50 --projects 4 --updates 52 [--seed 1]

writes OUT_DIR/projects/<customer>/customer.yml and, per project, every
contract file: weekly status updates, ~8 milestones with slips and
dependencies, ~10 decisions (one superseded), ~10 questions (some overdue
and blocking milestones), ~6 change requests, ~5 risks, ~3 feedback rounds,
with some internal items and internal notes. Only projects/ is written: the
shared content, themes and mkdocs.yml come from the package defaults.

Each customer draws from its own `random.Random(f"{seed}:{index}")`, so the
first 10 customers of a 50-customer portfolio are exactly a 10-customer one.
All dates lie before TODAY; build with `--today TODAY` for reproducible facts.

Names are chosen so the leak guard stays quiet: customer names and slugs are
an invented word plus a sector (never one inside another), and internal notes
come from their own pool of sentences that no public text uses.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

TODAY = date(2026, 11, 25)
"""The build date the generated facts are meant for (overdue questions, stale updates)."""
LAST_UPDATE = date(2026, 11, 20)
"""The newest status update of an up-to-date project (a Friday)."""

SYLLABLES = ("ka", "lo", "mir", "ven", "tas", "dor", "bel", "quin", "zar", "fen",
             "ros", "tal", "nev", "cor", "sil", "bran", "vel", "thor", "pax", "lum")
SECTORS = ("Outfitters", "Freight", "Foods", "Clinics", "Insurance", "Logistics", "Energy",
           "Textiles", "Pharma", "Publishing", "Robotics", "Telecom", "Furniture", "Banking",
           "Hospitality", "Automotive")
FIRST = ("Jane", "Marcus", "Elena", "Ravi", "Sam", "Priya", "Tomás", "Jonas", "Aiko", "Lena",
         "Omar", "Chloé", "Mateo", "Ingrid", "Kwame", "Sofia", "Noah", "Yara", "Felix", "Hana")
LAST = ("Roe", "Webb", "Fischer", "Patel", "Lee", "Nair", "Ortega", "Berg", "Tanaka", "Novak",
        "Haddad", "Dubois", "Silva", "Lindqvist", "Mensah", "Rossi", "Keller", "Farah", "Brandt", "Sato")
CUSTOMER_ROLES = ("Head of Digital, product owner (approves scope changes)",
                  "CFO, budget sponsor (signs off anything above EUR 10,000)",
                  "Content and marketing lead", "IT and data platform manager",
                  "Operations director", "Customer service lead", "Legal and compliance officer")
VENDOR_ROLES = (("Project manager", ["scope", "schedule", "budget", "change requests"]),
                ("Tech lead", ["hosting", "integrations", "performance"]),
                ("Design lead", ["design system", "accessibility"]),
                ("QA lead", ["testing", "release readiness"]),
                ("Data engineer", ["data quality", "pipelines", "reports"]))
INTERNAL_ROLE = ("Account director", ["commercial escalation", "framework renewal"])
PROJECT_KINDS = (
    ("website-relaunch", "Website relaunch"), ("data-platform", "Data platform"),
    ("mobile-app", "Mobile app"), ("crm-migration", "CRM migration"),
    ("intranet-refresh", "Intranet refresh"), ("b2b-portal", "B2B ordering portal"),
    ("erp-integration", "ERP integration"), ("loyalty-programme", "Loyalty programme"),
    ("analytics-rollout", "Analytics roll-out"), ("payment-upgrade", "Payment upgrade"),
    ("search-revamp", "Search revamp"), ("booking-system", "Booking system"),
    ("customer-service-bot", "Customer service bot"), ("pim-introduction", "Product information system"),
    ("warehouse-app", "Warehouse app"), ("partner-api", "Partner API"),
)
FEATURES = ("checkout", "product search", "store locator", "content model", "login and accounts",
            "order history", "invoice export", "newsletter sign-up", "campaign landing pages",
            "stock sync", "reporting dashboard", "single sign-on", "price import", "mobile navigation",
            "accessibility fixes", "image pipeline", "returns flow", "gift cards", "data warehouse load",
            "consent banner")
SYSTEMS = ("the ERP", "the CMS", "the payment provider", "the CRM", "the data warehouse",
           "the identity provider", "the search service", "the mail platform", "the staging environment")
ACTIONS = ("finished", "tested", "reviewed", "deployed to staging", "signed off", "documented",
           "demoed to the product owner", "load-tested", "migrated")
PLANS = ("Start", "Finish", "Review", "Test", "Deploy", "Demo", "Estimate", "Document")
MILESTONE_TITLES = ("Discovery complete", "Design sign-off", "Content model and migration tooling",
                    "Integration with {system}", "Checkout and payments", "Content migration and QA",
                    "User acceptance testing", "Performance and security review", "Go-live",
                    "Hypercare complete", "Training for editors", "Data model sign-off")
SLIP_REASONS = ("The review on the customer side took **two extra weeks**.",
                "Waiting for access to {system}; the request was open for {n} days.",
                "Follows the slip of {dep}; no additional delay on our side.",
                "The {feature} needed a *second design round* after user testing.",
                "Two causes:\n\n- the answer to {q} came late;\n- the approved change {cr} added {n} days.")
RISK_TITLES = ("{system} changes its API before launch", "Key people unavailable over the holidays",
               "Content migration takes longer than estimated", "Load peaks during the spring campaign",
               "Licence costs of {system} rise", "Late answers hold up the {feature}",
               "Legal review of the {feature} is slow")
ROUNDS = ("After discovery", "After design sign-off", "Mid-build check-in", "After the first demo",
          "Before user acceptance testing")
YOU_SAID = ("Too many status meetings.", "Hard to see what is waiting on us.",
            "The reports are *too long* to share with the board.",
            "We would like to see the demo environment earlier.",
            "Estimates for change requests take too long.")
WE_DID = ("Replaced the two weekly meetings with **one written update a week** on this portal.",
          "Added the *Waiting on you* list to every page.",
          "Added a one-page summary to every report and deliverable.",
          "The staging site is now updated after every merged change.",
          "Gut estimates within two days, detailed ones within a week.")
EXPECTATIONS = ("Pages load in under **2 seconds** on a mid-range phone over 4G.",
                "The content team can publish a landing page without developer help.",
                "Meets [WCAG 2.1 AA](https://www.w3.org/TR/WCAG21/) on all templates.",
                "Go-live before the spring campaign starts.",
                "No data is lost in the migration from the old system.",
                "Editors are trained before go-live.")
ASCII = str.maketrans("áé", "ae")
INTERNAL = ("Margin is under pressure; do not discuss the rate card with them yet.",
            "Their CFO is sceptical; brief him before every steering committee.",
            "We could absorb up to EUR {n}00 of this if needed to keep the renewal.",
            "Our tech lead may move to another bid in January; plan a replacement.",
            "Not billed to the customer; paid from our contingency of EUR {n},000.",
            "Framework contract renewal is due in March; the account director owns it.",
            "The estimate is optimistic; realistically {n} more days on our side.")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    if '"' in text or "\\" in text or "\n" in text:
        return json.dumps(text, ensure_ascii=False)
    return f'"{text}"'


def md(text: str, indent: str) -> str:
    """A Markdown field: quoted when one line, a literal block when several."""
    if "\n" not in text:
        return q(text)
    lines = [indent + line if line else "" for line in text.split("\n")]
    return "|-\n" + "\n".join(lines)


def flow(items: list[str]) -> str:
    """A flow sequence of quoted texts or plain ids."""
    return "[" + ", ".join(items) + "]"


class Writer:
    """Builds the YAML text of one customer from its own seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.r = rng.random

    def pick(self, seq: Sequence[T]) -> T:
        """random.choice, about five times faster (this is the generator's hot spot)."""
        return seq[int(self.r() * len(seq))]

    def randint(self, low: int, high: int) -> int:
        """random.randint, faster."""
        return low + int(self.r() * (high - low + 1))

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    @staticmethod
    def email(person: str, domain: str) -> str:
        first, last = person.lower().translate(ASCII).split(" ", 1)
        return f"{first}.{last}@{domain}"

    def fill(self, template: str, **slots: str) -> str:
        values = {"system": self.pick(SYSTEMS), "feature": self.pick(FEATURES),
                  "n": str(self.randint(2, 15)), "q": "the open question",
                  "cr": "change request", "dep": "the previous milestone", **slots}
        return template.format(**values)

    def sentence(self) -> str:
        """One status-like sentence about the work."""
        f = self.pick(FEATURES)
        s = self.pick(SYSTEMS)
        return self.pick((
            f"The {f} is {self.pick(ACTIONS)} and works against {s}.",
            f"We are waiting for test data from {s} before the {f} can be finished.",
            f"**Good progress** on the {f}; the first version is on the staging site.",
            f"The {f} took longer than planned because {s} returned unexpected errors.",
            f"Next week we focus on the {f} and the remaining defects from testing.",
            f"The team fixed {self.randint(3, 25)} defects reported on the {f}.",
            f"A short demo of the {f} is planned with the product owner on Thursday.",
        ))

    def paragraph(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.randint(low, high)))

    def item(self, done: bool) -> str:
        f = self.pick(FEATURES)
        if done:
            return f"{f[0].upper()}{f[1:]} {self.pick(ACTIONS)}"
        return f"{self.pick(PLANS)} the {f}" + (f" with {self.pick(SYSTEMS)}" if self.r() < 0.4 else "")

    def internal(self) -> str:
        return self.fill(self.pick(INTERNAL))

    def note(self, chance: float, indent: str = "  ") -> str:
        """An optional `internal:` line."""
        return f"{indent}internal: {q(self.internal())}\n" if self.r() < chance else ""


def customer_name(index: int) -> tuple[str, str]:
    """(slug, name): an invented word unique to `index`, plus a sector."""
    word, n = "", index
    for _ in range(3):
        word += SYLLABLES[n % len(SYLLABLES)]
        n //= len(SYLLABLES)
    while n:
        word += SYLLABLES[n % len(SYLLABLES)]
        n //= len(SYLLABLES)
    sector = SECTORS[(index * 7) % len(SECTORS)]
    return f"{word}-{sector.lower()}", f"{word.capitalize()} {sector}"


def write_customer(root: Path, index: int, projects: int, updates: int, seed: int) -> None:
    """Write one customer folder with `projects` projects of `updates` weekly updates each."""
    rng = random.Random(f"{seed}:{index}")
    w = Writer(rng)
    slug, name = customer_name(index)
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    contacts = [(w.person(), role) for role in rng.sample(CUSTOMER_ROLES, w.randint(2, 4))]
    text = (f"name: {q(name)}\nsite_url: https://portal.example.com/{slug}/\nlanguage: en\n"
            f"theme: default\nx-crm-id: CRM-{index:05d}\n" + w.note(0.7, "") + "contacts:\n")
    for i, (person, role) in enumerate(contacts):
        text += (f"  - name: {q(person)}\n    role: {q(role)}\n"
                 f"    email: {w.email(person, slug + '.example')}\n")
        text += w.note(0.3, "    ") if i else ""
    (folder / "customer.yml").write_text(text, encoding="utf-8")
    names = [p for p, _ in contacts]
    for p in range(projects):
        kind, title = PROJECT_KINDS[p % len(PROJECT_KINDS)]
        round_ = p // len(PROJECT_KINDS)
        pslug = kind if not round_ else f"{kind}-{round_ + 1}"
        ptitle = title if not round_ else f"{title} (phase {round_ + 1})"
        ProjectWriter(w, folder / pslug, slug, ptitle, names, updates).write()


class ProjectWriter:
    """The files of one project, with consistent dates and cross-references."""

    def __init__(self, w: Writer, folder: Path, customer: str, title: str,
                 customer_people: list[str], updates: int) -> None:
        self.w, self.rng = w, w.rng
        self.folder, self.customer, self.title, self.updates = folder, customer, title, updates
        self.customer_people = customer_people
        stale = self.rng.random() < 0.1
        self.last = LAST_UPDATE - timedelta(days=21 if stale else 0)
        self.first = self.last - timedelta(days=7 * max(updates - 1, 0))
        self.start = self.first - timedelta(days=self.w.randint(3, 20))
        self.end = self.last + timedelta(days=7 * self.w.randint(8, 30))
        self.team = [(w.person(), role, topics) for role, topics in
                     self.rng.sample(VENDOR_ROLES, self.w.randint(3, 4))]
        self.people = customer_people + [t[0] for t in self.team]
        self.open_milestones: list[str] = []
        self.public_milestones: list[str] = []

    def day(self, low: date, high: date) -> date:
        return low + timedelta(days=self.w.randint(0, max((high - low).days, 0)))

    def put(self, name: str, text: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / name).write_text(text, encoding="utf-8")

    def write(self) -> None:
        self.put("project.yml", self.project())
        self.put("status.yml", self.status())
        self.put("plan.yml", self.plan())
        self.put("decisions.yml", self.decisions())
        self.put("questions.yml", self.questions())
        self.put("changes.yml", self.changes())
        self.put("risks.yml", self.risks())
        self.put("feedback.yml", self.feedback())

    def project(self) -> str:
        w, rng = self.w, self.rng
        phase = "support" if self.end < TODAY else w.pick(("design", "build", "build", "test"))
        budget = w.randint(8, 60) * 5000
        spent = int(budget * rng.uniform(0.2, 0.9))
        out = [f"name: {q(self.title)}",
               f"summary: {md(w.paragraph(2, 3), '  ')}",
               f"phase: {phase}", f"start: {self.start}", f"end: {self.end}", "cadence_days: 7",
               "budget:", "  currency: EUR", f"  approved: {budget}", f"  spent: {spent}",
               f"  forecast: {int(budget * rng.uniform(0.95, 1.15))}"]
        if rng.random() < 0.25:
            out.append("  visibility: internal")
        out.append(w.note(0.15).rstrip("\n"))
        out.append("team:")
        for person, role, topics in self.team:
            out += [f"  - name: {q(person)}", f"    role: {q(role)}",
                    f"    email: {w.email(person, 'vendor.example')}",
                    f"    ask_about: {flow([q(t) for t in topics])}"]
        if w.r() < 0.4:
            # Internal members get their own role and topics: an internal "change requests"
            # topic would match the portal's own wording and stop the build (leak guard).
            person = w.person()
            out += [f"  - name: {q(person)}", f"    role: {q(INTERNAL_ROLE[0])}",
                    f"    email: {w.email(person, 'vendor.example')}",
                    f"    ask_about: {flow([q(t) for t in INTERNAL_ROLE[1]])}",
                    "    visibility: internal", f"    internal: {q(w.internal())}"]
        how = (f"Open a ticket in the support desk and pick the *{self.title}* queue. "
               "We answer within **one business day**.")
        out += ["channel:", f"  how: {q(how)}",
                f"  url: https://support.example.com/{self.customer}",
                f"feedback_url: https://forms.example.com/{self.customer}-pulse",
                "expectations:"]
        for i, text in enumerate(rng.sample(EXPECTATIONS, w.randint(3, 5)), 1):
            status = w.pick(("on-track", "on-track", "at-risk", "met"))
            out += [f"  - id: E-{i}", f"    text: {q(text)}", f"    status: {status}"]
            out.append(w.note(0.1, "    ").rstrip("\n"))
        return "\n".join(line for line in out if line) + "\n"

    def status(self) -> str:
        w, rng = self.w, self.rng
        parts = []
        health = "green"
        for k in range(self.updates):
            when = self.first + timedelta(days=7 * k)
            health = w.pick(("green", "green", "green", "amber", "amber", "red")) \
                if rng.random() < 0.3 else health
            dims = [w.pick(("green", "green", "amber", "red")) for _ in range(3)]
            text = (f"- date: {when}\n  health: {health}\n  scope: {dims[0]}\n"
                    f"  schedule: {dims[1]}\n  budget: {dims[2]}\n"
                    f"  summary: {md(w.paragraph(1, 3), '    ')}\n  done:\n")
            text += "".join(f"    - {q(w.item(True))}\n" for _ in range(w.randint(1, 4)))
            text += "  next:\n" + "".join(f"    - {q(w.item(False))}\n" for _ in range(w.randint(1, 3)))
            text += w.note(0.2)
            parts.append(text)
        return "".join(parts) or "[]\n"

    def plan(self) -> str:
        w, rng = self.w, self.rng
        count = w.randint(7, 9)
        span = (self.end - self.start).days
        titles = rng.sample(MILESTONE_TITLES[:-1], count - 1) + ["Go-live"]
        out = ["milestones:"]
        cancelled = w.randint(3, count - 1) if rng.random() < 0.5 else 0
        shift = 0
        for i in range(1, count + 1):
            mid = f"M{i}"
            baseline = self.start + timedelta(days=span * i // count)
            slip = w.pick((0, 0, 0, 7, 14, 21)) if i != cancelled else 0
            shift = max(shift, slip) if rng.random() < 0.7 else slip
            forecast = baseline + timedelta(days=shift)
            if i == cancelled:
                status = "cancelled"
            elif forecast < TODAY - timedelta(days=7):
                status = "done"
            elif forecast < TODAY + timedelta(days=21):
                status = w.pick(("in-progress", "at-risk"))
            else:
                status = w.pick(("planned", "planned", "at-risk"))
            title = w.fill(titles[i - 1])
            out += [f"  - id: {mid}", f"    title: {q(title)}",
                    f"    owner: {w.pick(('vendor', 'vendor', 'customer'))}",
                    f"    baseline: {baseline}"]
            if shift and status != "cancelled":  # a cancelled milestone is expected no more
                out.append(f"    forecast: {forecast}")
            if status == "done":
                out.append(f"    actual: {forecast + timedelta(days=w.pick((0, 0, 1, 3)))}")
            out.append(f"    status: {status}")
            deps = [f"M{i - 1}"] + ([f"M{i - 2}"] if i > 2 and rng.random() < 0.3 else [])
            if i > 1:
                out.append(f"    depends_on: {flow(deps)}")
            if shift:
                reason = w.fill(w.pick(SLIP_REASONS), dep=f"M{i - 1}", q="question Q-3", cr="CR-1")
                out.append(f"    slip_reason: {md(reason, '      ')}")
            if rng.random() < 0.15:
                out.append(f"    internal: {q(w.internal())}")
            self.public_milestones.append(mid)
            if status not in ("done", "cancelled"):
                self.open_milestones.append(mid)
        # One internal milestone nobody public refers to.
        out += [f"  - id: M{count + 1}", "    title: Security code freeze and penetration test",
                "    owner: vendor", f"    baseline: {self.end - timedelta(days=10)}",
                "    status: planned", f"    depends_on: [M{count - 1}]",
                "    visibility: internal", f"    internal: {q(w.internal())}"]
        return "\n".join(out) + "\n"

    def decisions(self) -> str:
        w, rng = self.w, self.rng
        count = w.randint(9, 11)
        old = w.randint(1, count // 2)
        new = w.randint(count // 2 + 1, count - 1)
        hidden = count
        out = []
        for i in range(1, count + 1):
            when = self.start + timedelta(days=(self.last - self.start).days * i // (count + 1))
            status = ("superseded" if i == old else "accepted" if i == new
                      else "proposed" if i == count - 1
                      else w.pick(("accepted", "accepted", "accepted", "rejected")))
            f = w.pick(FEATURES)
            out += [f"- id: D-{i}", f"  date: {when}",
                    f"  title: {q(f'Use {w.pick(SYSTEMS)[4:]} for the {f}')}",
                    f"  status: {status}"]
            deciders = flow([q(p) for p in rng.sample(self.people, 2)])
            if status != "proposed":  # not decided yet: nobody has decided it
                out.append(f"  decided_by: {deciders}")
            out += [f"  context: {md(w.paragraph(2, 3), '    ')}",
                    f"  decision: {md(w.paragraph(1, 2), '    ')}",
                    "  consequences: " + md("\n".join(f"- {w.item(False)}" for _ in range(w.randint(2, 3))),
                                            "    ")]
            if i == new:
                out.append(f"  supersedes: D-{old}")
            if i == hidden:
                out += ["  visibility: internal", f"  internal: {q(w.internal())}"]
            elif rng.random() < 0.15:
                out.append(f"  internal: {q(w.internal())}")
        return "\n".join(out) + "\n"

    def questions(self) -> str:
        w, rng = self.w, self.rng
        count = w.randint(9, 11)
        out = []
        for i in range(1, count + 1):
            open_ = i > count - 4
            asked = (self.day(TODAY - timedelta(days=30), TODAY - timedelta(days=3)) if open_
                     else self.day(self.start, self.last - timedelta(days=14)))
            due = asked + timedelta(days=w.pick((7, 10, 14)))
            owner = w.pick(("customer", "customer", "vendor"))
            question = f"Which rules apply to the {w.pick(FEATURES)} when {w.pick(SYSTEMS)} is unavailable?"
            out += [f"- id: Q-{i}", f"  asked: {asked}", f"  question: {q(question)}",
                    f"  owner: {owner}",
                    f"  assignee: {q(w.pick(self.customer_people if owner == 'customer' else self.people))}",
                    f"  due: {due}"]
            if open_ and self.open_milestones and (due < TODAY or rng.random() < 0.3):
                out.append(f"  blocks: {flow(rng.sample(self.open_milestones, 1))}")
            if open_:
                out.append("  status: open")
            else:
                status = "answered" if rng.random() < 0.8 else "closed"
                out += [f"  status: {status}", f"  answer: {md(w.paragraph(1, 2), '    ')}",
                        f"  answered: {asked + timedelta(days=w.randint(1, 12))}"]
            if i == count - 3:
                out += ["  visibility: internal", f"  internal: {q(w.internal())}"]
            elif rng.random() < 0.1:
                out.append(f"  internal: {q(w.internal())}")
        return "\n".join(out) + "\n"

    def changes(self) -> str:
        w, rng = self.w, self.rng
        statuses = ["approved", "proposed", "under-review", "rejected", "withdrawn", "done"]
        rng.shuffle(statuses)
        out = []
        for i, status in enumerate(statuses, 1):
            requested = self.day(self.start, self.last - timedelta(days=7))
            f = w.pick(FEATURES)
            out += [f"- id: CR-{i}", f"  requested: {requested}",
                    f"  requested_by: {q(w.pick(self.customer_people))}",
                    f"  title: {q(f'Extend the {f} for {w.pick(SYSTEMS)[4:]}')}",
                    f"  description: {md(w.paragraph(1, 3), '    ')}",
                    f"  status: {status}", "  impact:",
                    f"    days: {w.randint(1, 20)}", f"    cost: {w.randint(5, 150) * 100}",
                    f"    milestones: {flow(rng.sample(self.public_milestones, w.randint(1, 2)))}",
                    f"    estimate: {w.pick(('gut', 'discovery'))}"]
            if status in ("approved", "rejected", "done"):
                out += [f"  decided: {requested + timedelta(days=w.randint(2, 10))}",
                        f"  decided_by: {q(w.pick(self.customer_people))}",
                        f"  decision_note: {md(w.paragraph(1, 2), '    ')}"]
            if i == len(statuses) and status not in ("approved", "done"):
                out += ["  visibility: internal", f"  internal: {q(w.internal())}"]
            elif rng.random() < 0.2:
                out.append(f"  internal: {q(w.internal())}")
        return "\n".join(out) + "\n"

    def risks(self) -> str:
        w = self.w
        out = []
        for i in range(1, w.randint(4, 6) + 1):
            out += [f"- id: R-{i}", f"  title: {q(w.fill(w.pick(RISK_TITLES)))}",
                    f"  likelihood: {w.pick(('low', 'medium', 'high'))}",
                    f"  impact: {w.pick(('low', 'medium', 'high'))}",
                    f"  owner: {w.pick(('vendor', 'customer'))}",
                    f"  mitigation: {md(w.paragraph(1, 2), '    ')}",
                    f"  status: {w.pick(('open', 'open', 'closed'))}"]
            out.append(w.note(0.1).rstrip("\n"))
        return "\n".join(line for line in out if line) + "\n"

    def feedback(self) -> str:
        w = self.w
        out = []
        for i in range(1, w.randint(2, 4) + 1):
            out += [f"- id: F-{i}", f"  date: {self.day(self.start, self.last)}",
                    f"  round: {q(w.pick(ROUNDS))}", f"  score: {w.randint(50, 95) / 10}",
                    "  scale: 10", f"  responses: {w.randint(2, 12)}",
                    f"  you_said: {q(w.pick(YOU_SAID))}", f"  we_did: {q(w.pick(WE_DID))}"]
            out.append(w.note(0.15).rstrip("\n"))
        return "\n".join(line for line in out if line) + "\n"


def write_portfolio(out: Path, customers: int, projects: int, updates: int, seed: int = 1) -> Path:
    """Write the synthetic portfolio into out/projects; returns that folder."""
    root = out / "projects"
    root.mkdir(parents=True, exist_ok=True)
    for index in range(customers):
        write_customer(root, index, projects, updates, seed)
    return root


def append_update(project_dir: Path, when: date = TODAY, note: str = "") -> None:
    """Append one status update (dated `when`, default TODAY) to a project's status.yml."""
    text = (f"- date: {when}\n  health: amber\n  schedule: amber\n"
            f"  summary: {q('Benchmark update: the checkout slipped by a week. ' + note)}\n"
            "  done:\n    - \"Checkout tested\"\n  next:\n    - \"Fix the remaining defects\"\n")
    with (project_dir / "status.yml").open("a", encoding="utf-8") as f:
        f.write(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="writes OUT/projects/")
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--projects", type=int, default=4, help="projects per customer")
    parser.add_argument("--updates", type=int, default=52, help="weekly status updates per project")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    root = write_portfolio(args.out, args.customers, args.projects, args.updates, args.seed)
    print(f"wrote {root}: {args.customers} customers x {args.projects} projects x {args.updates} "
          f"updates in {time.perf_counter() - started:.2f} s (build with --today {TODAY})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
