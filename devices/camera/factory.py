"""devices.camera.factory.create(settings, bus): the station's camera from its settings.

* ``devices.camera.replay`` set: replay those files (a video, or stills / folders).
* ``devices.camera.device`` or ``index`` set: that webcam (OpenCV, V4L2 on Linux).
* a demo station (the demo profile) with nothing configured: the simulated person at the
  counter (devices.camera.simulator, the person of station.demo), live at the set size and rate.
* other simulated devices with nothing configured: the astronaut portrait from scikit-image on
  a 1280x720 canvas, repeated as a stream.
* otherwise the default webcam (index 0); it reports ABSENT until one is plugged in.
"""

from __future__ import annotations

from devices.camera.device import CameraDevice
from devices.camera.simulator import SimulatedPersonCamera, counter_scene
from devices.camera.sources import ArraySource, OpenCVCamera, demo_portrait, replay_source
from station.config import Settings
from station.demo import demo_person, person_at_camera
from station.events import EventBus


def create(settings: Settings, bus: EventBus) -> CameraDevice:
    camera = settings.devices.camera
    if camera.replay:
        source = replay_source(camera.replay, fps=camera.fps)
    elif camera.device is not None or camera.index is not None:
        source = OpenCVCamera(index=camera.index, device=camera.device, width=camera.width,
                              height=camera.height, fps=camera.fps)  # fmt: skip
    elif person_at_camera(settings):
        person = demo_person()
        scene = counter_scene(person.portrait, person.camera_head, width=camera.width,
                              height=camera.height)  # fmt: skip
        source = SimulatedPersonCamera(scene, fps=camera.fps)
    elif settings.devices.simulate:
        source = ArraySource([demo_portrait(camera.width, camera.height)], fps=camera.fps)
    else:
        source = OpenCVCamera(index=0, width=camera.width, height=camera.height, fps=camera.fps)
    return CameraDevice(source, bus)
