"""Which steps make up each kind of case (the order follows station.workflows.cases.STEPS)."""

from __future__ import annotations

from functools import partial

from station.db.models import CaseKind
from station.workflows.cases import STEPS
from ui.flows.step import FlowContext, FlowStep
from ui.flows.wizard import StepFactory


def step_factories(kind: CaseKind) -> list[StepFactory]:
    from ui.flows.steps.agreement import AgreementStep
    from ui.flows.steps.document import DocumentStep
    from ui.flows.steps.organisation import OrganisationStep
    from ui.flows.steps.phone import PhoneStep
    from ui.flows.steps.photo import PhotoStep
    from ui.flows.steps.review import ReviewStep
    from ui.flows.steps.scans import ScansStep

    by_kind: dict[CaseKind, dict[str, StepFactory]] = {
        CaseKind.INDIVIDUAL: {
            "document": DocumentStep,
            "photo": partial(PhotoStep, purpose="live", profile="icao-9303", match_chip=True),
            "phone": PhoneStep,
            "agreement": partial(AgreementStep, document="user_agreement"),
            "review": ReviewStep,
        },
        CaseKind.ORGANISATION: {
            "document": partial(DocumentStep, role="agent"),
            "organisation": OrganisationStep,
            "scans": partial(ScansStep, kinds=("business_licence", "power_of_attorney",
                                               "agent_id_front", "agent_id_back")),
            "phone": PhoneStep,
            "agreement": partial(AgreementStep, document="power_of_attorney", signer_role="agent"),
            "review": ReviewStep,
        },
        CaseKind.ELICENCE_PHOTO: {
            "document": DocumentStep,
            "photo": partial(PhotoStep, purpose="elicence", profile="cn-driving-licence",
                             match_chip=False),
            "review": ReviewStep,
        },
        CaseKind.MANUAL_REVIEW: {
            "document": DocumentStep,
            "scans": partial(ScansStep, kinds=("id_front", "id_back")),
            "photo": partial(PhotoStep, purpose="live", profile="icao-9303", match_chip=False),
            "phone": PhoneStep,
            "review": ReviewStep,
        },
    }
    steps = by_kind[kind]
    return [steps[key] for key in STEPS[kind]]


def build_steps(ctx: FlowContext) -> list[FlowStep]:
    return [factory(ctx) for factory in step_factories(ctx.kind)]
