"""Demo mode's simulated people (resources/demo/people.toml): what the simulated camera shows,
the picture on their card's chip and their card data, kept together."""

from station.demo.people import (
    CARD_KINDS,
    DemoPerson,
    demo_people,
    demo_person,
    person_at_camera,
)

__all__ = ["CARD_KINDS", "DemoPerson", "demo_people", "demo_person", "person_at_camera"]
