"""The UI tour: ``python -m ui.tour --size WxH --language zh_CN|en --out DIR`` (see __main__)."""
