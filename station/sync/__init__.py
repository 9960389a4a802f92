"""Delivering committed cases to the central service and bringing review decisions back.

Qt-free: the worker runs on its own thread and publishes SyncStatusChanged / DeviceStatusEvent
/ CaseChanged on the station's EventBus.
"""
