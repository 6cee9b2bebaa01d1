"""CSRF protection for every form of the back office (Flask-WTF)."""
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
