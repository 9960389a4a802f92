"""The application: wires the Qt-free core (station), the device drivers (devices) and the
central service (central) into one running station. ui/ draws windows on top of it."""
