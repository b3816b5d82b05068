import datetime

from django.utils import timezone


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day``, local time. Filter timestamps with ``__gte``/``__lt`` on this rather
    than with ``__date``, which makes SQLite cast every row in Python (seconds on millions of rows)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
