"""Demo scenarios of real procedures (reference §2.5: S2, S3, S5, S9), built from typed steps."""

from courses.sandboxes.demo_steps import LOGIN, autofilled

VNEID_LOGIN = ("vneid_login", {"portal_name": "Ứng dụng VNeID (mô phỏng)", "required_level": "2"})
QR_LOGIN = (
    "vneid_login",
    {"portal_name": "Cổng Dịch vụ công quốc gia (mô phỏng)", "method": "qr", "required_level": "2"},
)


def field(key: str, label: str, kind: str = "text", **rules) -> dict:
    """An e-form field the learner fills in; ``rules``: choices, expected, hint, not_future …"""
    return {"key": key, "label": label, "kind": kind, "required": True, **rules}


BIRTH_CERTIFICATE_PHOTO = "Ảnh giấy chứng sinh bị mờ, không đọc được số giấy chứng sinh và ngày sinh của trẻ."

PROCEDURE_SCENARIOS = [
    {
        "slug": "lien-thong-khai-sinh-thuong-tru-bhyt",
        "title": "Liên thông: đăng ký khai sinh, thường trú và thẻ BHYT cho bé",
        "summary": "Con của nhân vật vừa chào đời hôm qua tại trạm y tế xã. Nhân vật là chủ hộ, vợ chồng đã đăng ký "
        "kết hôn. Chỉ với một hồ sơ liên thông trên Cổng Dịch vụ công, bé được đăng ký khai sinh, đăng ký "
        "thường trú vào hộ của nhân vật và được cấp thẻ bảo hiểm y tế. Đặt tên bé theo họ của nhân vật, "
        "tên đệm và tên là “Gia Bảo”; bé là người dân tộc Kinh.",
        "look": "portal",
        "lesson": "dien-to-khai-dien-tu",
        "steps": [
            LOGIN,
            (
                "search_procedure",
                {
                    "procedure": "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
                    "keywords": ["liên thông khai sinh", "khai sinh", "lien thong khai sinh"],
                    "decoys": ["Đăng ký khai sinh lưu động", "Đăng ký khai tử", "Đăng ký lại khai sinh"],
                },
            ),
            (
                "procedure_detail",
                {
                    "name": "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
                    "documents": [
                        "Tờ khai liên thông (kê khai trực tuyến; hệ thống tạo 3 tờ khai, mỗi thủ tục một tờ)",
                        "Giấy chứng sinh (ảnh chụp hoặc bản quét rõ nét)",
                        "Giấy chứng nhận kết hôn của cha mẹ: không phải tải lên, hệ thống tự tra cứu",
                    ],
                    "processing_time": "3 ngày làm việc (5 ngày nếu cần xác minh)",
                    "fee": 10000,
                    "fee_basis": "Lệ phí đăng ký thường trú trực tuyến, Thông tư 75/2022/TT-BTC; "
                    "đăng ký khai sinh đúng hạn được miễn lệ phí",
                    "agency": "Ủy ban nhân dân xã, phường nơi cư trú của cha hoặc mẹ",
                },
            ),
            (
                "choose_agency",
                {
                    "agency": "Ủy ban nhân dân xã, phường nơi cư trú của cha hoặc mẹ",
                    "level": "xa",
                    "explanation": "Chọn đúng tỉnh và xã, phường nơi nhân vật thường trú: xem địa chỉ trên thẻ nhân vật.",
                },
            ),
            (
                "eform",
                {
                    "title": "Tờ khai liên thông khai sinh, thường trú, BHYT",
                    "intro": "Thông tin của cha hoặc mẹ được tự điền từ Cơ sở dữ liệu quốc gia về dân cư. Gõ tên bé "
                    "thật cẩn thận, đủ dấu: sau này sửa rất khó.",
                    "fields": [
                        field(
                            "ten_tre",
                            "Họ, chữ đệm và tên của trẻ",
                            hint="Gõ đủ họ của nhân vật, rồi “Gia Bảo”, có dấu.",
                        ),
                        field(
                            "ngay_sinh_tre",
                            "Ngày sinh của trẻ",
                            "date",
                            not_future=True,
                            max_days_ago=60,
                            hint="Bé sinh hôm qua. Đăng ký khai sinh đúng hạn là trong 60 ngày kể từ ngày sinh.",
                        ),
                        field("gioi_tinh_tre", "Giới tính của trẻ", "select", choices=["Nam", "Nữ"]),
                        field(
                            "noi_sinh",
                            "Nơi sinh (cơ sở y tế)",
                            hint="Tình huống nói bé sinh tại trạm y tế xã.",
                        ),
                        field(
                            "dan_toc_tre",
                            "Dân tộc của trẻ",
                            "select",
                            choices=["Kinh", "Tày", "Thái", "Mường", "Khmer", "Hmông", "Khác"],
                            expected="Kinh",
                            hint="Tình huống nói bé là người dân tộc Kinh.",
                        ),
                        autofilled("ho_ten_cha_me", "Họ và tên cha hoặc mẹ (người khai)", "full_name"),
                        autofilled("so_dinh_danh_cha_me", "Số định danh của cha hoặc mẹ", "id_number"),
                        autofilled(
                            "thuong_tru", "Nơi đăng ký thường trú của trẻ (hộ của cha hoặc mẹ)", "address"
                        ),
                        field(
                            "quan_he_chu_ho",
                            "Quan hệ của trẻ với chủ hộ",
                            "select",
                            choices=["Con", "Cháu", "Em", "Khác"],
                            expected="Con",
                            hint="Nhân vật là chủ hộ và là cha hoặc mẹ của bé: bé là “Con”.",
                        ),
                        field(
                            "noi_kham_benh",
                            "Nơi đăng ký khám chữa bệnh ban đầu (thẻ BHYT)",
                            "select",
                            choices=[
                                "Trạm y tế xã, phường",
                                "Trung tâm y tế khu vực",
                                "Bệnh viện đa khoa tỉnh",
                            ],
                        ),
                    ],
                },
            ),
            (
                "attach_documents",
                {
                    "documents": [
                        {
                            "name": "Giấy chứng sinh",
                            "in_store": False,
                            "good_sample": "Giấy chứng sinh, chụp thẳng, đủ sáng, rõ từng chữ",
                            "bad_sample": "Giấy chứng sinh, chụp nghiêng, bị loá đèn",
                            "bad_reason": "Ảnh nghiêng, loá đèn không đọc được: hồ sơ sẽ bị yêu cầu bổ sung. "
                            "Hãy dùng bản chụp thẳng, rõ chữ.",
                        }
                    ]
                },
            ),
            (
                "choose_delivery",
                {
                    "expected": "dien_tu",
                    "hint": "Giấy khai sinh bản điện tử về ngay VNeID và Cổng Dịch vụ công, không phải đi lại.",
                },
            ),
            ("declare_submit", {"agency_code": "H15.50"}),
            (
                "track_status",
                {
                    "timeline": [
                        {
                            "status": "Đã tiếp nhận",
                            "after_seconds": 10,
                            "note": "Ủy ban nhân dân xã đã nhận hồ sơ.",
                        },
                        {"status": "Đang xử lý", "after_seconds": 20, "note": ""},
                        {
                            "status": "Đã xử lý xong",
                            "after_seconds": 35,
                            "note": "Đã đăng ký khai sinh; đăng ký thường trú và thẻ BHYT của bé đã được cấp.",
                        },
                        {
                            "status": "Đã trả kết quả",
                            "after_seconds": 45,
                            "note": "Giấy khai sinh bản điện tử đã gửi về VNeID và Cổng Dịch vụ công.",
                        },
                    ]
                },
            ),
            (
                "info",
                {
                    "title": "Ghi nhớ",
                    "body": "Đăng ký khai sinh trong 60 ngày kể từ ngày sinh; đúng hạn thì không mất lệ phí.\n"
                    "Lệ phí đăng ký thường trú trực tuyến: 10.000 đồng (mức tham khảo theo Thông tư 75/2022/TT-BTC; "
                    "lệ phí có thể thay đổi).\n"
                    "Gõ tên bé thật cẩn thận: tên sai rất khó sửa về sau.",
                    "button": "Xong",
                },
            ),
        ],
    },
    {
        "slug": "ho-so-bi-yeu-cau-bo-sung",
        "title": "Hồ sơ bị “Yêu cầu bổ sung”: theo dõi, bổ sung và đánh giá",
        "summary": "Nhân vật đã khai xong tờ khai liên thông khai sinh cho con và chụp vội giấy chứng sinh trong phòng "
        "tối. Hãy đăng nhập bằng mã QR, nộp hồ sơ, rồi theo dõi: nếu cơ quan yêu cầu bổ sung, đọc kỹ lý do và "
        "bổ sung đúng giấy tờ cho chính hồ sơ ấy.",
        "look": "portal",
        "lesson": "bo-sung-ho-so",
        "steps": [
            QR_LOGIN,
            (
                "attach_documents",
                {
                    "documents": [
                        {
                            "name": "Giấy chứng sinh",
                            "in_store": False,
                            "good_sample": "Giấy chứng sinh, ảnh chụp bằng điện thoại trong phòng tối",
                        }
                    ]
                },
            ),
            ("declare_submit", {"agency_code": "H15.50"}),
            (
                "track_status",
                {
                    "timeline": [
                        {"status": "Đã tiếp nhận", "after_seconds": 5, "note": "Cơ quan đã nhận hồ sơ."},
                        {
                            "status": "Yêu cầu bổ sung hồ sơ",
                            "after_seconds": 15,
                            "note": BIRTH_CERTIFICATE_PHOTO,
                        },
                        {
                            "status": "Đang xử lý",
                            "after_seconds": 10,
                            "note": "Cơ quan đã nhận phần bổ sung.",
                        },
                        {"status": "Đã xử lý xong", "after_seconds": 25, "note": "Hồ sơ đã có kết quả."},
                        {
                            "status": "Đã trả kết quả",
                            "after_seconds": 35,
                            "note": "Kết quả bản điện tử có chữ ký số đã gửi về VNeID và Cổng Dịch vụ công.",
                        },
                    ]
                },
            ),
            (
                "supplement",
                {
                    "agency": "Ủy ban nhân dân xã, phường nơi cư trú",
                    "reason": BIRTH_CERTIFICATE_PHOTO
                    + "\nĐề nghị bổ sung bản chụp hoặc bản quét rõ nét, đủ bốn góc.",
                    "document": {
                        "name": "Giấy chứng sinh (bổ sung)",
                        "in_store": False,
                        "good_sample": "Giấy chứng sinh, chụp lại thẳng, đủ sáng, rõ từng chữ",
                        "bad_sample": "Giấy chứng sinh, ảnh cũ trong phòng tối",
                        "bad_reason": "Đây chính là ảnh mờ đã bị trả về. Hãy chụp lại cho rõ rồi bổ sung.",
                    },
                },
            ),
            ("track_status", {"timeline": []}),
            ("rate", {"question": "Bạn có hài lòng với việc giải quyết hồ sơ này không?"}),
        ],
    },
    {
        "slug": "phieu-ly-lich-tu-phap-vneid",
        "title": "Xin Phiếu lý lịch tư pháp số 1 trên VNeID",
        "summary": "Tháng trước nhân vật tạo yêu cầu cấp Phiếu lý lịch tư pháp để xin việc nhưng quên thanh toán. "
        "Nay nhân vật cần thêm một phiếu số 1 để đi làm việc ở nước ngoài, giao bản điện tử. Nhân vật không "
        "thành lập hay quản lý doanh nghiệp nào.",
        "look": "vneid",
        "lesson": "theo-doi-trang-thai-ho-so",
        "steps": [
            VNEID_LOGIN,
            (
                "request_list",
                {
                    "procedure": "Cấp Phiếu lý lịch tư pháp",
                    "requests": [
                        {
                            "code": "H40.07-251112-0031",
                            "created": "12/11/2025",
                            "status": "Chờ thanh toán",
                            "fee": 200000,
                        }
                    ],
                    "fee_basis": "Thông tư 244/2016/TT-BTC, nay là Thông tư 16/2025/TT-BTC",
                },
            ),
            (
                "pay_fee",
                {
                    "fee_name": "Phí cung cấp thông tin lý lịch tư pháp (yêu cầu H40.07-251112-0031)",
                    "amount": 200000,
                    "legal_basis": "Thông tư 244/2016/TT-BTC, nay là Thông tư 16/2025/TT-BTC",
                    "payee": "Sở Tư pháp (Kho bạc Nhà nước)",
                    "personal_payee": False,
                },
            ),
            (
                "eform",
                {
                    "title": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                    "intro": "Phần lớn thông tin được tự điền từ Cơ sở dữ liệu quốc gia về dân cư; bạn chỉ khai vài ô.",
                    "fields": [
                        autofilled("ho_ten", "Họ và tên", "full_name"),
                        autofilled("ngay_sinh", "Ngày sinh", "birth_date_display", kind="date"),
                        autofilled("so_dinh_danh", "Số định danh cá nhân", "id_number"),
                        autofilled("thuong_tru", "Nơi thường trú", "address"),
                        field(
                            "loai_phieu",
                            "Loại phiếu",
                            "select",
                            choices=["Phiếu số 1", "Phiếu số 2"],
                            expected="Phiếu số 1",
                            hint="Tình huống cần Phiếu số 1. Phiếu số 2 thường dùng cho cơ quan tiến hành tố tụng.",
                        ),
                        field(
                            "muc_dich",
                            "Mục đích sử dụng phiếu",
                            "select",
                            choices=["Xin việc làm", "Đi làm việc ở nước ngoài", "Học tập", "Khác"],
                            expected="Đi làm việc ở nước ngoài",
                            hint="Lần này nhân vật cần phiếu để đi làm việc ở nước ngoài.",
                        ),
                        field(
                            "so_luong",
                            "Số lượng phiếu",
                            "number",
                            expected="1",
                            hint="Tình huống cần 1 phiếu.",
                        ),
                        field(
                            "xac_nhan_cam",
                            "Yêu cầu xác nhận về việc cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp",
                            "select",
                            choices=["Có", "Không"],
                            expected="Không",
                            hint="Nhân vật không thành lập hay quản lý doanh nghiệp: chọn “Không”.",
                        ),
                    ],
                },
            ),
            (
                "choose_delivery",
                {
                    "expected": "dien_tu",
                    "hint": "Tình huống cần bản điện tử: phiếu có chữ ký số, giá trị như bản giấy.",
                },
            ),
            ("declare_submit", {"agency_code": "H40.07"}),
            (
                "track_status",
                {
                    "timeline": [
                        {"status": "Đã tiếp nhận", "after_seconds": 10, "note": ""},
                        {
                            "status": "Đang xử lý",
                            "after_seconds": 20,
                            "note": "Đang tra cứu thông tin lý lịch tư pháp.",
                        },
                        {"status": "Đã xử lý xong", "after_seconds": 35, "note": ""},
                        {
                            "status": "Đã trả kết quả",
                            "after_seconds": 45,
                            "note": "Phiếu bản điện tử có chữ ký số đã gửi về VNeID.",
                        },
                    ]
                },
            ),
        ],
    },
    {
        "slug": "thong-bao-luu-tru",
        "title": "Thông báo lưu trú cho người thân đến ở nhờ",
        "summary": "Bà Lê Thị Hoa (sinh ngày 15/03/1950, số định danh 099150004321, quốc tịch Việt Nam), mẹ của "
        "nhân vật, từ xã khác đến ở nhà nhân vật từ ngày 20/12/2025 đến ngày 22/12/2025 để thăm con cháu. Hãy "
        "thông báo lưu trú cho bà trên ứng dụng VNeID.",
        "look": "vneid",
        "lesson": "dang-nhap-dich-vu-cong",
        "steps": [
            VNEID_LOGIN,
            (
                "search_procedure",
                {
                    "procedure": "Thông báo lưu trú",
                    "keywords": ["lưu trú", "luu tru", "thông báo lưu trú"],
                    "decoys": ["Đăng ký tạm trú", "Khai báo tạm vắng", "Đăng ký thường trú"],
                },
            ),
            (
                "choose_agency",
                {
                    "agency": "Công an xã, phường nơi có cơ sở lưu trú",
                    "level": "xa",
                    "explanation": "Thông báo cho công an xã, phường nơi bà đến ở, tức nhà nhân vật: xem địa chỉ "
                    "trên thẻ nhân vật.",
                },
            ),
            (
                "eform",
                {
                    "title": "Thông báo lưu trú",
                    "intro": "Khai thông tin nơi ở và người lưu trú theo tình huống.",
                    "fields": [
                        field(
                            "loai_hinh",
                            "Loại hình cơ sở lưu trú",
                            "select",
                            choices=[
                                "Cơ sở lưu trú du lịch",
                                "Ký túc xá sinh viên",
                                "Cơ sở khám chữa bệnh",
                                "Hộ gia đình",
                                "Nhà ngăn phòng cho thuê",
                                "Cơ sở khác",
                            ],
                            expected="Hộ gia đình",
                            hint="Bà ở nhà riêng của nhân vật: chọn “Hộ gia đình”.",
                        ),
                        autofilled("dia_chi_co_so", "Địa chỉ cơ sở lưu trú", "address"),
                        field(
                            "ho_ten_nguoi_luu_tru",
                            "Họ và tên người lưu trú",
                            expected="Lê Thị Hoa",
                            hint="Người lưu trú là bà Lê Thị Hoa.",
                        ),
                        field(
                            "ngay_sinh_nguoi_luu_tru",
                            "Ngày sinh",
                            "date",
                            expected="15/03/1950",
                            hint="Xem ngày sinh của bà trong tình huống.",
                        ),
                        field("gioi_tinh", "Giới tính", "select", choices=["Nam", "Nữ"], expected="Nữ"),
                        field(
                            "so_dinh_danh_nguoi_luu_tru",
                            "Số định danh cá nhân",
                            "number",
                            expected="099150004321",
                            hint="Chép số định danh giả lập của bà trong tình huống (bắt đầu bằng 099).",
                        ),
                        field(
                            "quoc_tich",
                            "Quốc tịch",
                            "select",
                            choices=["Việt Nam", "Khác"],
                            expected="Việt Nam",
                        ),
                        field(
                            "tu_ngay",
                            "Lưu trú từ ngày",
                            "date",
                            expected="20/12/2025",
                            hint="Bà đến ở từ ngày 20/12/2025.",
                        ),
                        field(
                            "den_ngay",
                            "Đến ngày",
                            "date",
                            not_before="tu_ngay",
                            expected="22/12/2025",
                            hint="Bà ở đến ngày 22/12/2025.",
                        ),
                        field("ly_do", "Lý do lưu trú", hint="Ghi ngắn gọn, ví dụ: thăm con cháu."),
                    ],
                },
            ),
            ("declare_submit", {"agency_code": "H15.50"}),
            (
                "info",
                {
                    "title": "Ghi nhớ",
                    "body": "Có người từ xã, phường khác đến ở nhờ qua đêm thì thông báo lưu trú, kể cả người thân.\n"
                    "Thông báo cho đúng công an xã, phường nơi người đó ở; ngày đến không được sau ngày đi.\n"
                    "Theo các hướng dẫn hiện có, thông báo lưu trú không mất phí.",
                    "button": "Xong",
                },
            ),
        ],
    },
]
