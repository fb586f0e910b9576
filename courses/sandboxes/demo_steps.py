"""Steps several demo scenarios share."""


def autofilled(key: str, label: str, source: str, kind: str = "text") -> dict:
    """An e-form field the portal fills in (read-only) from the persona's population record."""
    return {"key": key, "label": label, "kind": kind, "required": True, "autofill": source}


OPEN_PORTAL = (
    "info",
    {
        "title": "Mở Cổng Dịch vụ công quốc gia",
        "body": "Mở trình duyệt và gõ địa chỉ dichvucong.gov.vn.\n"
        "Nhìn thanh địa chỉ: trang thật có đuôi “.gov.vn” và bắt đầu bằng https.\n"
        "Bấm “Đăng nhập”, chọn “Tài khoản định danh điện tử cấp bởi Bộ Công an”.",
        "button": "Tôi đã kiểm tra địa chỉ, đăng nhập",
    },
)
LOGIN = ("vneid_login", {"portal_name": "Cổng Dịch vụ công quốc gia (mô phỏng)", "required_level": "2"})
