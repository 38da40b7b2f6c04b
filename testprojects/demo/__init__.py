"""The demo: the Django API, the Flask API and a dashboard page, on loopback."""
