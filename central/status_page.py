"""The applicant's status page, ``GET /s/{token}``: what the receipt's QR code opens.

A phone-sized page in Chinese with the case kind, its state, the review deadline and, when the
case was returned, what is needed. The token is unguessable (128 bits) and the page shows no
personal data, so a lost receipt reveals nothing about its holder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.models import Case, Decision, aware
from central.sms import KIND_NAMES
from station import vocabulary
from station.workdays import CHINA

STATE_NAMES = {
    "not_required": ("已办结", "无需人工审核，业务已办结。"),
    "pending": ("审核中", "民警将在截止时间前完成审核，结果将以短信通知您。"),
    "approved": ("审核通过", "请登录交管12123App查看。"),
    "rejected": ("未通过审核", "如有疑问，请携带身份证件到窗口咨询。"),
    "returned": ("需补充材料", "请按下列要求补充材料后重新办理。"),
}
TOKEN_PATTERN = r"[A-Za-z0-9_-]{16,32}"
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}


@dataclass(frozen=True)
class CaseStatus:
    number: str
    kind: str
    state: str
    received_at: datetime
    due_at: datetime | None
    decided_at: datetime | None
    needed: str  # what a returned case needs ("" otherwise)
    reason: str  # a rejection's reason ("" otherwise)


def find_status(session: Session, token: str) -> CaseStatus | None:
    case = session.scalar(select(Case).where(Case.status_token == token))
    if case is None:
        return None
    last = session.scalar(select(Decision).where(Decision.case_id == case.id)
                          .order_by(Decision.decided_at.desc()).limit(1))
    state = "pending" if case.review_state == "claimed" else case.review_state
    needed = reason = ""
    if last is not None and state == "returned":
        needed = last.note or _reason_zh(last.reason_code)
    if last is not None and state == "rejected":
        reason = _reason_zh(last.reason_code)
    return CaseStatus(number=case.number, kind=case.kind, state=state,
                      received_at=aware(case.received_at), due_at=aware(case.due_at),
                      decided_at=aware(case.decided_at), needed=needed, reason=reason)


def _reason_zh(code: str | None) -> str:
    """A decision reason's Chinese label ("" for none or one the vocabulary lacks)."""
    term = vocabulary.decision_reasons().get(code or "")
    return term.label.zh if term is not None else ""


def _beijing(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(CHINA)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def render_status(status: CaseStatus | None) -> str:
    if status is None:
        title, body = "未找到业务", "<p>未找到这笔业务。请核对回执上的二维码，或到窗口咨询。</p>"
    else:
        name, hint = STATE_NAMES.get(status.state, (status.state, ""))
        title = name
        rows = [("业务类型", KIND_NAMES.get(status.kind, status.kind)),
                ("业务编号", status.number), ("受理时间", _beijing(status.received_at))]
        if status.state == "pending" and status.due_at:
            rows.append(("审核截止", _beijing(status.due_at)))
        if status.decided_at:
            rows.append(("审核时间", _beijing(status.decided_at)))
        if status.reason:
            rows.append(("原因", status.reason))
        table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
        needed = (f'<div class="needed"><h2>需要补充</h2><p>{escape(status.needed)}</p></div>'
                  if status.needed else "")
        body = (f'<p class="state state-{escape(status.state)}">{escape(name)}</p>'
                f"<p>{escape(hint)}</p><table>{table}</table>{needed}")
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>业务办理进度 · {escape(title)}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 0; padding: 16px; color: #1a1a1a; background: #f5f6f8; font-size: 16px; }}
h1 {{ font-size: 20px; margin: 0 0 12px; }}
.card {{ background: #fff; border-radius: 8px; padding: 16px; max-width: 480px; margin: auto; }}
.state {{ font-size: 24px; font-weight: bold; margin: 4px 0; }}
.state-approved, .state-not_required {{ color: #2e7d32; }}
.state-rejected {{ color: #c62828; }}
.state-returned {{ color: #ef6c00; }}
.state-pending {{ color: #1565c0; }}
table {{ width: 100%; border-collapse: collapse; margin-top: 12px; }}
th {{ text-align: left; color: #666; font-weight: normal; width: 6em; vertical-align: top; }}
th, td {{ padding: 6px 0; border-bottom: 1px solid #eee; word-break: break-all; }}
.needed {{ margin-top: 16px; padding: 12px; background: #fff3e0; border-radius: 6px; }}
.needed h2 {{ font-size: 16px; margin: 0 0 6px; }}
</style></head>
<body><div class="card"><h1>交管12123 · 业务办理进度</h1>{body}</div></body></html>
"""
