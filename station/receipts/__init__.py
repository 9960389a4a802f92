"""Registration receipts as PDF (reportlab, Qt-free): ``render_receipt(ReceiptData) -> bytes``."""

from station.receipts.fonts import FontNotFoundError, find_cjk_font, register_cjk_font
from station.receipts.masking import mask_id_number, mask_phone
from station.receipts.model import ReceiptData
from station.receipts.render import ReceiptError, render_receipt, render_receipt_with_layout

__all__ = [
    "FontNotFoundError",
    "ReceiptData",
    "ReceiptError",
    "find_cjk_font",
    "mask_id_number",
    "mask_phone",
    "register_cjk_font",
    "render_receipt",
    "render_receipt_with_layout",
]
