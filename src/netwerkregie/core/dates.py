import datetime

from django.utils import formats, timezone


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day``, local time. Filter timestamps with ``__gte``/``__lt`` on this rather
    than with ``__date``, which makes SQLite cast every row in Python (seconds on millions of rows)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def short_date(value: datetime.date) -> str:
    """A date, or a moment in local time, in the active language's short format: what a template's
    ``|date:"SHORT_DATE_FORMAT"`` (or ``SHORT_DATETIME_FORMAT``) shows, for text made in Python."""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")
