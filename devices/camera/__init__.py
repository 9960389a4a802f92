"""Camera driver: OpenCV webcams and replay sources, one worker thread per camera."""

from devices.camera.device import CameraDevice, CameraIdentity, Frame, LatestFrame
from devices.camera.sources import (
    ArraySource,
    GrantedFormat,
    OpenCVCamera,
    StillImagesSource,
    VideoFileSource,
    demo_portrait,
    replay_source,
)

__all__ = [
    "ArraySource",
    "CameraDevice",
    "CameraIdentity",
    "Frame",
    "GrantedFormat",
    "LatestFrame",
    "OpenCVCamera",
    "StillImagesSource",
    "VideoFileSource",
    "demo_portrait",
    "replay_source",
]
