"""The pages that exist, by who can see them; later issues add theirs here."""

VISITOR_PAGES = {
    "home": "/",
    "register": "/dang-ky/",
    "login": "/dang-nhap/",
    "password-reset": "/quen-mat-khau/",
    "password-reset-sent": "/quen-mat-khau/da-gui/",
    "not-found": "/khong-co-trang-nay/",
    "admin-login": "/admin/login/",
    "catalogue": "/khoa-hoc/",
    "course": "/khoa-hoc/vneid/",
    "first-lesson": "/khoa-hoc/vneid/lam-quen-voi-vneid/vneid-la-gi/",
    "lesson-for-members": "/khoa-hoc/vneid/lam-quen-voi-vneid/muc-1-va-muc-2/",
    "certificate-lookup": "/tra-cuu-chung-nhan/",
}
LEARNER_PAGES = {
    "profile": "/tai-khoan/",
    "password-change": "/tai-khoan/doi-mat-khau/",
    "delete-account": "/tai-khoan/xoa/",
    "notifications": "/thong-bao/",
    "dashboard": "/hoc-cua-toi/",
    "course-enrolled": "/khoa-hoc/an-toan-khong-gian-mang/",
    "lesson": "/khoa-hoc/an-toan-khong-gian-mang/nhan-dien-dau-hieu-lua-dao/nam-dau-hieu-lua-dao/",
    "lesson-locked": "/khoa-hoc/vneid/cai-dat-va-dang-nhap/dang-nhap-lan-dau-passcode/",
    # Demo quizzes are created in file order: 1 is "an toàn không gian mạng".
    "quiz": "/bai-kiem-tra/1/",
    # The demo learner has finished "điện thoại và Internet": certificate 1 is theirs.
    "certificates": "/chung-nhan-cua-toi/",
    "certificate": "/chung-nhan-cua-toi/1/",
    "sandbox-intro": "/thuc-hanh/dang-ky-tam-tru/",
}
# Quiz pages that exist only once an attempt is started: tests/browser/test_quiz.py checks them.
# Page states that only a form submission reaches.
FORM_ERROR_STATES = {
    "register-with-errors": ("/dang-ky/", "main form button[type=submit]:not([name])"),
    "login-with-errors": ("/dang-nhap/", "main form button[type=submit]"),
}
