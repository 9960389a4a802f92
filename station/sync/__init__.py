"""Delivering committed cases to the central service and bringing review decisions back.

Qt-free: the worker runs on its own thread and publishes SyncStatusChanged (the central
link's one status event, a DeviceStatusEvent of kind "central") and CaseChanged on the
station's EventBus.
"""
