"""Django management commands of corsguard (``python manage.py corsguard``)."""
