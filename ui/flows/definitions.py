"""The counter's steps of each kind of case, built from its definition in the core
(station/workflows/case_kinds.py): which steps, in which order, with which photo profile,
scans and agreement. Nothing here is specific to one kind."""

from __future__ import annotations

from functools import partial

from station.db.models import CaseKind
from station.workflows.case_kinds import CASE_KINDS, CaseKindSpec
from ui.flows.step import FlowContext, FlowStep
from ui.flows.wizard import StepFactory


def _factory(spec: CaseKindSpec, key: str) -> StepFactory:
    from ui.flows.steps.agreement import AgreementStep
    from ui.flows.steps.document import DocumentStep
    from ui.flows.steps.organisation import OrganisationStep
    from ui.flows.steps.phone import PhoneStep
    from ui.flows.steps.photo import PhotoStep
    from ui.flows.steps.review import ReviewStep
    from ui.flows.steps.scans import ScansStep

    if key == "document":
        return partial(DocumentStep, role=spec.document_role)
    if key == "photo" and spec.photo is not None:
        photo = spec.photo
        return partial(PhotoStep, purpose=photo.purpose, profile=photo.profile,
                       match_chip=photo.match_chip)
    if key == "scans":
        return partial(ScansStep, kinds=spec.scans)
    if key == "agreement" and spec.agreement is not None:
        return partial(AgreementStep, document=spec.agreement.document,
                       signer_role=spec.agreement.signer_role)
    simple: dict[str, StepFactory] = {"organisation": OrganisationStep, "phone": PhoneStep,
                                      "review": ReviewStep}
    if key not in simple:
        raise ValueError(f"{spec.kind.value}: no counter screen for the step {key!r}")
    return simple[key]


def step_factories(kind: CaseKind) -> list[StepFactory]:
    spec = CASE_KINDS[kind]
    return [_factory(spec, key) for key in spec.steps]


def build_steps(ctx: FlowContext) -> list[FlowStep]:
    return [factory(ctx) for factory in step_factories(ctx.kind)]
