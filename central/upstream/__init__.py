"""The traffic-management system upstream of the central service (交通管理信息系统).

The reviewer compares a case's photos with the photo on file there ("the photo in the
traffic system"), and every approved result is handed over to it (an account verified, an
e-licence photo to store). ``protocol`` is what the central service needs of it,
``http`` the adapter speaking the signed JSON protocol documented in central/README.md,
``simulator`` a local system speaking that protocol (tests, demo), ``handover`` the
transactional outbox that hands each approved case over exactly once.
"""
