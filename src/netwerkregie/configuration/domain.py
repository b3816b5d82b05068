"""Settings: the domain's terms (triage, retention, lapses, reviews, oversight, the network). Imported by
``netwerkregie.settings``; every value comes from the environment (see ``.env.example``)."""

from pathlib import Path

from netwerkregie.configuration.paths import VAR_DIR
from netwerkregie.env import env_bool, env_int, env_list, env_str

# --- Signals and assessment -------------------------------------------------------------------
SIGNAL_TRIAGE_WORKING_DAYS = env_int("SIGNAL_TRIAGE_WORKING_DAYS", 5, minimum=1)
# Public holidays of this country are not working days (python-holidays country code).
WORKING_DAYS_COUNTRY = env_str("WORKING_DAYS_COUNTRY", "NL")
# How long a signal is kept while no decision has been taken on it.
SIGNAL_UNDECIDED_RETENTION_DAYS = env_int("SIGNAL_UNDECIDED_RETENTION_DAYS", 182, minimum=1)
# Per decision: how long the signal and the person's data are kept (docs/architecture.md, phase 2).
DECISION_RETENTION_DAYS = {
    "closed_no_concern": env_int("RETENTION_CLOSED_NO_CONCERN_DAYS", 28, minimum=1),
    "advice_given": env_int("RETENTION_ADVICE_GIVEN_DAYS", 365, minimum=1),
    "referred_to_regular_care": env_int("RETENTION_REFERRED_DAYS", 365, minimum=1),
    "monitoring": env_int("RETENTION_MONITORING_DAYS", 365, minimum=1),
    "to_case_conference": env_int("RETENTION_TO_CASE_CONFERENCE_DAYS", 365, minimum=1),
}
MONITORING_REVIEW_DAYS = env_int("MONITORING_REVIEW_DAYS", 91, minimum=1)
# Reports show counts from 1 up to this number as "< N" (with secondary suppression).
REPORT_SUPPRESS_BELOW = env_int("REPORT_SUPPRESS_BELOW", 5, minimum=2)
# Decisions the coordinator may take alone at triage, without a joint assessment, where the
# municipality's rules allow it; flagged "assessed by one party" and counted. Empty: never alone.
PRE_ASSESSMENT_DECISIONS = env_list("PRE_ASSESSMENT_DECISIONS", ["closed_no_concern", "advice_given"])
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 730, minimum=1)
# Sectors whose participation makes an assessment joint (the municipality alone is one party).
CORE_PARTY_SECTORS = env_list("CORE_PARTY_SECTORS", ["police", "public_prosecutor"])
# Extra words for the special-category guard, on top of the built-in Dutch and English list.
SPECIAL_CATEGORY_EXTRA_TERMS = env_list("SPECIAL_CATEGORY_EXTRA_TERMS", [])

# Police and public prosecutor see a signal on the assessment agenda under its pseudonym only, until
# one of them reveals the identity with a reason (audited). The coordinator always sees it.
PSEUDONYMOUS_ASSESSMENT = env_bool("PSEUDONYMOUS_ASSESSMENT", True)

# --- Registrations that lapse unless someone re-justifies them --------------------------------
# A signal under monitoring and a running case are justified until a date; before it passes the
# responsible person re-justifies in writing or closes, otherwise the daily job closes it.
JUSTIFY_MONITORING_DAYS = env_int("JUSTIFY_MONITORING_DAYS", 91, minimum=7)
JUSTIFY_MONITORING_MINOR_DAYS = env_int("JUSTIFY_MONITORING_MINOR_DAYS", 61, minimum=7)
JUSTIFY_CASE_DAYS = env_int("JUSTIFY_CASE_DAYS", 365, minimum=7)
JUSTIFY_CASE_MINOR_DAYS = env_int("JUSTIFY_CASE_MINOR_DAYS", 182, minimum=7)
# From this many days before the date, the registration is on the responsible person's "today" page.
REJUSTIFY_NOTICE_DAYS = env_int("REJUSTIFY_NOTICE_DAYS", 14, minimum=1)
# A lapsed monitoring signal is kept this long (for questions and objections), then purged.
LAPSED_SIGNAL_RETENTION_DAYS = env_int("LAPSED_SIGNAL_RETENTION_DAYS", 91, minimum=1)

# --- Cases ------------------------------------------------------------------------------------
CASE_RETENTION_YEARS = env_int("CASE_RETENTION_YEARS", 5, minimum=1)
CASE_REVIEW_INTERVAL_DAYS = env_int("CASE_REVIEW_INTERVAL_DAYS", 91, minimum=7)
# Minors are reviewed more often (docs/architecture.md: "minors flagged, with stricter review").
CASE_REVIEW_INTERVAL_MINOR_DAYS = env_int("CASE_REVIEW_INTERVAL_MINOR_DAYS", 61, minimum=7)

# --- Privacy oversight ------------------------------------------------------------------------
EMERGENCY_ACCESS_HOURS = env_int("EMERGENCY_ACCESS_HOURS", 8, minimum=1)
# Access review: this many views of records within the window is "many in a short time".
ACCESS_REVIEW_BURST_VIEWS = env_int("ACCESS_REVIEW_BURST_VIEWS", 30, minimum=2)
ACCESS_REVIEW_BURST_MINUTES = env_int("ACCESS_REVIEW_BURST_MINUTES", 10, minimum=1)
# Working hours (local time, Monday to Friday); views outside them are listed for review.
ACCESS_REVIEW_WORK_START_HOUR = env_int("ACCESS_REVIEW_WORK_START_HOUR", 7)
ACCESS_REVIEW_WORK_END_HOUR = env_int("ACCESS_REVIEW_WORK_END_HOUR", 19)

# --- Network and programmes -------------------------------------------------------------------
# A partner without a contact moment for longer than this is listed as "no recent contact".
NETWORK_STALE_AFTER_DAYS = env_int("NETWORK_STALE_AFTER_DAYS", 90, minimum=1)
# Professional contact details are kept this long after the last contact moment or change.
CONTACT_RETENTION_DAYS = env_int("CONTACT_RETENTION_DAYS", 730, minimum=1)
COVENANT_MAX_UPLOAD_BYTES = env_int("COVENANT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
# Uploaded files are served only through views that check access; never from a public URL.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private-media")))
