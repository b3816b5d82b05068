"""The pages of phases 3 and 4, by subject: ``case_file``, ``plan``, ``closure``, ``consultation`` and
``emergency`` (the minutes' record is ``cases.minutes_views``)."""
