"""The clerk's registration flows: a wizard of steps, each saved locally before moving on."""
