"""Any sequence of landmark frames leaves the session in a defined state, never an exception."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from station.face import FaceLandmarks
from station.liveness import LivenessSession, random_challenges
from station.liveness.synthetic import rebuild

BASE = FaceLandmarks(
    points=np.zeros((478, 3), np.float32), bbox=(0, 0, 1, 1), yaw=0.0, pitch=0.0, roll=0.0,
    image_size=(640, 480),
)


def _face(seed: int, spread: float) -> FaceLandmarks:
    rng = np.random.default_rng(seed)
    return rebuild(BASE, rng.normal(320.0, spread, (478, 3)))


frames = st.lists(
    st.tuples(
        st.floats(min_value=0.0, max_value=2.0),  # time step
        st.integers(min_value=0, max_value=3),  # faces in the frame
        st.integers(min_value=0, max_value=5),  # which random face
        st.sampled_from([0.0, 1e-3, 5.0, 80.0]),  # point spread (0 = degenerate)
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(frames, st.integers(min_value=0, max_value=1000))
def test_random_frames(sequence, seed: int) -> None:
    session = LivenessSession(random_challenges(3, seed))
    now = 0.0
    for step, count, which, spread in sequence:
        now += step
        state = session.feed(now, [_face(which + k, spread) for k in range(count)])
        assert state.instruction["zh"] and state.instruction["en"]
    verdict = session.end_of_input(now + 1.0)
    assert verdict.live in (True, False)
    assert len(verdict.to_json()["challenges"]) == 3
