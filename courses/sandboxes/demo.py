"""Demo practice scenarios, built from typed steps exactly as an official would in the admin."""

from courses.models import LessonPage, Scenario
from courses.sandboxes.demo_procedures import PROCEDURE_SCENARIOS
from courses.sandboxes.demo_scams import SCAM_SCENARIOS
from courses.sandboxes.demo_steps import LOGIN, OPEN_PORTAL, autofilled

SCENARIOS = [
    {
        "slug": "dang-nhap-dich-vu-cong",
        "title": "Đăng nhập Cổng Dịch vụ công bằng VNeID và xem thông tin cá nhân",
        "summary": "Bạn muốn làm thủ tục trên Cổng Dịch vụ công quốc gia. Trước hết, hãy đăng nhập bằng tài khoản "
        "định danh điện tử (VNeID) của nhân vật và xem thông tin cá nhân mà Cổng lấy từ Cơ sở dữ liệu quốc gia "
        "về dân cư.",
        "look": "portal",
        "lesson": "dang-nhap-bang-vneid",
        "steps": [
            OPEN_PORTAL,
            LOGIN,
            (
                "eform",
                {
                    "title": "Thông tin cá nhân",
                    "intro": "Cổng tự lấy các thông tin này từ Cơ sở dữ liệu quốc gia về dân cư. Nếu có gì sai, "
                    "bạn phải đề nghị công an xã, phường sửa; không tự sửa trên Cổng được.",
                    "fields": [
                        autofilled("ho_ten", "Họ và tên", "full_name"),
                        autofilled("ngay_sinh", "Ngày sinh", "birth_date_display", kind="date"),
                        autofilled("so_dinh_danh", "Số định danh cá nhân", "id_number"),
                        autofilled("dien_thoai", "Số điện thoại", "phone_masked"),
                        autofilled("thuong_tru", "Nơi thường trú", "address"),
                    ],
                },
            ),
        ],
    },
    {
        "slug": "dang-ky-tam-tru",
        "title": "Đăng ký tạm trú trực tuyến",
        "summary": "Nhân vật chuyển đến ở trọ tại một phòng thuê trong xã, phường nơi mình đang ở từ ngày 01/12/2025 "
        "để làm việc, ở cùng chủ nhà (chủ hộ) là bạn. Ở từ 30 ngày trở lên thì phải đăng ký tạm trú. Hãy tìm "
        "thủ tục, chọn cơ quan, khai và nộp hồ sơ.",
        "look": "portal",
        "lesson": "nhan-ket-qua-cam-doan-va-nop",
        "steps": [
            LOGIN,
            (
                "search_procedure",
                {
                    "procedure": "Đăng ký tạm trú",
                    "keywords": ["tạm trú", "tam tru"],
                    "decoys": ["Đăng ký thường trú", "Khai báo tạm vắng", "Thông báo lưu trú"],
                },
            ),
            (
                "procedure_detail",
                {
                    "name": "Đăng ký tạm trú",
                    "documents": [
                        "Tờ khai thay đổi thông tin cư trú (mẫu CT01)",
                        "Giấy tờ chứng minh chỗ ở hợp pháp (ví dụ hợp đồng thuê nhà)",
                    ],
                    "processing_time": "Trong 3 ngày làm việc",
                    "fee": 7000,
                    "fee_basis": "Thông tư 75/2022/TT-BTC, nộp trực tuyến",
                    "agency": "Công an xã, phường nơi đăng ký tạm trú",
                },
            ),
            (
                "choose_agency",
                {
                    "agency": "Công an xã, phường nơi đăng ký tạm trú",
                    "level": "xa",
                    "explanation": "Tạm trú đăng ký với công an xã, phường nơi bạn đang ở. Xem địa chỉ trên thẻ nhân vật.",
                },
            ),
            (
                "eform",
                {
                    "title": "Tờ khai thay đổi thông tin cư trú (CT01)",
                    "intro": "Phần thông tin người khai được tự điền. Bạn khai phần còn lại theo tình huống.",
                    "fields": [
                        autofilled("ho_ten", "Họ, chữ đệm và tên", "full_name"),
                        autofilled("ngay_sinh", "Ngày, tháng, năm sinh", "birth_date_display", kind="date"),
                        autofilled("so_dinh_danh", "Số định danh cá nhân", "id_number"),
                        {
                            "key": "noi_dung",
                            "label": "Nội dung đề nghị",
                            "kind": "select",
                            "choices": ["Đăng ký tạm trú", "Gia hạn tạm trú", "Xoá đăng ký tạm trú"],
                            "required": True,
                            "expected": "Đăng ký tạm trú",
                            "hint": "Bạn mới đến ở: chọn “Đăng ký tạm trú”.",
                        },
                        {
                            "key": "tu_ngay",
                            "label": "Tạm trú từ ngày",
                            "kind": "date",
                            "required": True,
                            "expected": "01/12/2025",
                            "hint": "Tình huống nói bạn ở từ ngày 01/12/2025.",
                        },
                        {
                            "key": "quan_he_chu_ho",
                            "label": "Quan hệ với chủ hộ",
                            "kind": "select",
                            "choices": ["Chủ hộ", "Vợ, chồng", "Con", "Người thuê nhà", "Khác"],
                            "required": True,
                            "expected": "Chủ hộ",
                            "hint": "Tình huống nói bạn ở cùng chủ nhà và chủ nhà là bạn: bạn là chủ hộ.",
                        },
                        {
                            "key": "ly_do",
                            "label": "Lý do tạm trú",
                            "kind": "text",
                            "required": True,
                            "hint": "Ghi ngắn gọn, ví dụ: làm việc.",
                        },
                    ],
                },
            ),
            (
                "attach_documents",
                {
                    "documents": [
                        {
                            "name": "Giấy tờ chứng minh chỗ ở hợp pháp (hợp đồng thuê nhà)",
                            "in_store": False,
                            "good_sample": "Hợp đồng thuê nhà, ảnh chụp rõ nét, đủ chữ ký hai bên",
                            "bad_sample": "Hợp đồng thuê nhà, ảnh chụp bị mờ, thiếu chữ ký chủ nhà",
                            "bad_reason": "Ảnh mờ hoặc thiếu chữ ký là lý do hay gặp nhất khiến hồ sơ bị yêu cầu bổ sung.",
                        }
                    ]
                },
            ),
            (
                "choose_delivery",
                {
                    "expected": "dien_tu",
                    "hint": "Bạn muốn nhận ngay trên điện thoại, không phải đi lại: chọn bản điện tử.",
                },
            ),
            (
                "declare_submit",
                {
                    "agency_code": "H15.50",
                    "declaration": "Tôi xin cam đoan những thông tin khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật.",
                },
            ),
            (
                "track_status",
                {
                    "timeline": [
                        {
                            "status": "Đã tiếp nhận",
                            "after_seconds": 10,
                            "note": "Cán bộ đã nhận hồ sơ của bạn.",
                        },
                        {"status": "Đang xử lý", "after_seconds": 20, "note": ""},
                        {"status": "Đã xử lý xong", "after_seconds": 35, "note": "Hồ sơ đã có kết quả."},
                        {
                            "status": "Đã trả kết quả",
                            "after_seconds": 45,
                            "note": "Kết quả bản điện tử đã được gửi về VNeID và Cổng Dịch vụ công.",
                        },
                    ]
                },
            ),
            (
                "info",
                {
                    "title": "Ghi nhớ",
                    "body": "Hãy ghi lại mã hồ sơ mỗi lần nộp để tra cứu về sau.\n"
                    "Lệ phí đăng ký tạm trú trực tuyến: 7.000 đồng (mức tham khảo theo Thông tư 75/2022/TT-BTC; "
                    "lệ phí có thể thay đổi). Khi có yêu cầu thanh toán, bạn nộp qua Cổng, không chuyển khoản cho ai.",
                    "button": "Xong",
                },
            ),
        ],
    },
    {
        "slug": "cuoc-goi-cong-an-gia",
        "title": "Cuộc gọi “công an phường” đòi cập nhật VNeID",
        "summary": "Nhân vật nhận một cuộc gọi lạ. Hãy xem kỹ, chỉ ra những điểm đáng ngờ và chọn việc nên làm.",
        "look": "phone",
        "lesson": "goi-dien-gia-danh-cong-an",
        "steps": [
            (
                "scam_drill",
                {
                    "channel": "call",
                    "sender": "Cuộc gọi từ số lạ, tự xưng “công an phường”",
                    "message": "Chào chị, tôi là cán bộ công an phường. Tài khoản VNeID của chị chưa cập nhật địa chỉ sau "
                    "sáp nhập nên sẽ bị khoá trước 17 giờ hôm nay. Tôi gửi chị đường dẫn cài ứng dụng Dịch vụ công "
                    "mới qua Zalo, chị cài rồi đọc cho tôi mã OTP để tôi cập nhật giúp. Phí cập nhật 22.000 đồng "
                    "chị chuyển vào số tài khoản cá nhân tôi gửi.",
                    "elements": [
                        {
                            "text": "Đòi cài ứng dụng qua đường dẫn gửi qua Zalo",
                            "is_flag": True,
                            "explanation": "Ứng dụng thật chỉ cài từ App Store hoặc Google Play.",
                        },
                        {
                            "text": "Đòi đọc mã OTP",
                            "is_flag": True,
                            "explanation": "Không ai được hỏi mã OTP của bạn, kể cả công an.",
                        },
                        {
                            "text": "Doạ khoá tài khoản trước 17 giờ hôm nay",
                            "is_flag": True,
                            "explanation": "Kẻ gian tạo sự gấp gáp để bạn không kịp suy nghĩ.",
                        },
                        {
                            "text": "Chuyển phí vào tài khoản cá nhân",
                            "is_flag": True,
                            "explanation": "Lệ phí nhà nước không bao giờ nộp vào tài khoản cá nhân.",
                        },
                        {
                            "text": "Người gọi nói tiếng Việt",
                            "is_flag": False,
                            "explanation": "Nói tiếng Việt không nói lên điều gì: kẻ gian cũng nói tiếng Việt.",
                        },
                    ],
                    "actions": [
                        {
                            "text": "Làm theo để khỏi bị khoá tài khoản",
                            "safe": False,
                            "feedback": "Không an toàn: cài ứng dụng lạ và đọc OTP là mất quyền điều khiển điện thoại và tiền trong tài khoản.",
                        },
                        {
                            "text": "Cúp máy, rồi báo cuộc gọi lừa đảo tới số 156",
                            "safe": True,
                            "feedback": "Đúng vậy. Công an không làm thủ tục qua điện thoại; địa chỉ được cập nhật tự động sau sáp nhập.",
                        },
                        {
                            "text": "Chỉ đọc OTP, không chuyển tiền",
                            "safe": False,
                            "feedback": "Không an toàn: có OTP là kẻ gian đủ để lấy tài khoản của bạn.",
                        },
                        {
                            "text": "Hỏi lại tên cán bộ rồi làm theo",
                            "safe": False,
                            "feedback": "Không an toàn: kẻ gian bịa tên rất dễ. Hãy cúp máy và tự đến công an xã, phường nếu cần.",
                        },
                    ],
                    "min_flags": 2,
                },
            ),
        ],
    },
]


FEE_REQUEST = {
    "fee_name": "Lệ phí đăng ký tạm trú (nộp trực tuyến)",
    "amount": 7000,
    "legal_basis": "Thông tư 75/2022/TT-BTC",
    "payee": "Công an xã, phường (Kho bạc Nhà nước)",
    "personal_payee": False,
}

SCENARIOS.append(
    {
        "slug": "nop-le-phi-giu-bien-lai",
        "title": "Nộp lệ phí trực tuyến và giữ biên lai",
        "summary": "Hồ sơ đăng ký tạm trú của nhân vật đang chờ thanh toán. Trước đó, nhân vật nhận được một "
        "yêu cầu thanh toán lạ. Hãy xem kỹ từng yêu cầu: chỉ nộp đúng số tiền, cho đúng cơ quan nhà nước, "
        "rồi đánh giá việc giải quyết hồ sơ.",
        "look": "portal",
        "lesson": "nop-phi-nhan-ket-qua-danh-gia",
        "steps": [
            (
                "pay_fee",
                {
                    **FEE_REQUEST,
                    "fee_name": "Phí “cập nhật hồ sơ cư trú” (gửi qua tin nhắn)",
                    "amount": 22000,
                    "payee": "NGUYEN VAN H — tài khoản cá nhân",
                    "personal_payee": True,
                },
            ),
            ("pay_fee", FEE_REQUEST),
            ("rate", {"question": "Bạn có hài lòng với việc giải quyết thủ tục đăng ký tạm trú không?"}),
        ],
    }
)


SCENARIOS.extend(PROCEDURE_SCENARIOS)
SCENARIOS.extend(SCAM_SCENARIOS)


def load_scenarios() -> list[Scenario]:
    """Create the demo scenarios not yet present and put each new one in its demo lesson."""
    created = []
    for data in SCENARIOS:
        if Scenario.objects.filter(slug=data["slug"]).exists():
            continue
        scenario = Scenario.objects.create(
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            look=data["look"],
            steps=data["steps"],
        )
        created.append(scenario)
        lesson = LessonPage.objects.filter(slug=data["lesson"]).first() if data["lesson"] else None
        if lesson is not None:
            lesson.body = [
                *[(block.block_type, block.value) for block in lesson.body],
                (
                    "sandbox",
                    {
                        "scenario": scenario,
                        "intro": "Tự làm thử trên Cổng mô phỏng, với một nhân vật giả lập.",
                    },
                ),
            ]
            lesson.save_revision().publish()
    return created
