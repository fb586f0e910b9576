"""The pages that exist, by who can see them; later issues add theirs here."""

VISITOR_PAGES = {
    "home": "/",
    "register": "/dang-ky/",
    "login": "/dang-nhap/",
    "password-reset": "/quen-mat-khau/",
    "password-reset-sent": "/quen-mat-khau/da-gui/",
    "not-found": "/khong-co-trang-nay/",
    "admin-login": "/admin/login/",
}
LEARNER_PAGES = {
    "profile": "/tai-khoan/",
    "password-change": "/tai-khoan/doi-mat-khau/",
    "delete-account": "/tai-khoan/xoa/",
    "notifications": "/thong-bao/",
}
# Page states that only a form submission reaches.
FORM_ERROR_STATES = {
    "register-with-errors": ("/dang-ky/", "main form button[type=submit]:not([name])"),
    "login-with-errors": ("/dang-nhap/", "main form button[type=submit]"),
}
