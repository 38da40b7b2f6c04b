"""A small, real Flask app using corsguard_flask; see ``app.create_app``."""
