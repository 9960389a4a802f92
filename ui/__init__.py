"""PySide6 user interface: windows, screens, widgets, Qt adapters of core events, workers."""
