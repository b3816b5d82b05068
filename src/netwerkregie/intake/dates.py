import datetime
from functools import cache

import holidays
from django.conf import settings


@cache
def _public_holidays(country: str, year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays(country, years=[year, year + 1]))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, except the public holidays of ``settings.WORKING_DAYS_COUNTRY``."""
    return day.weekday() < 5 and day not in _public_holidays(settings.WORKING_DAYS_COUNTRY, day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """``days`` working days after ``start``."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
