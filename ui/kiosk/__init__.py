"""Self-service kiosk: the same registration flows for one person at a time, built for touch.

``KioskWindow(runtime)`` (ui/kiosk/window.py) is the whole kiosk; ui/app.py shows it full
screen when ``settings.kiosk`` is true. One person's visit is the Qt-free state machine
station/workflows/visit.py; ui/kiosk/session.py shows it and carries out its commands.
"""
