"""Two-factor sign-in: the service (service.py), the sign-in's second step (gate.py) and the
pages (views.py). The rules are in app/domain/totp.py."""
