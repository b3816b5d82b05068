"""The settings, by subject; ``netwerkregie.settings`` imports every module here (it stays the settings
module that deploy files and DJANGO_SETTINGS_MODULE name)."""
