"""Three more "spot the scam" drills for the demo, in the same shape as ``demo.SCENARIOS``.

Facts follow the shared reference notes on scams (public-services.md §3). Every fake address here is shown
as plain text by the scam_drill template; none is ever a link.
"""

FAKE_APP_LINK = "https://ww38.dichvucong.dancuquocgia.vn/VNeID-capnhat.apk"
FAKE_FINE_PAGE = "https://dichvucongs.top/vn"
FAKE_SCHOOL_LINK = "http://capnhat-dinhdanh-hocsinh.vip/nhap-hoc"

SCAM_SCENARIOS = [
    {
        "slug": "tin-nhan-zalo-cap-nhat-muc-2",
        "title": "Tin nhắn Zalo “công an phường” đòi cập nhật VNeID mức 2",
        "summary": "Nhân vật nhận một tin nhắn Zalo từ tài khoản tự xưng là công an phường, nói về việc cập nhật "
        "VNeID sau sáp nhập xã, phường. Hãy đọc kỹ, chỉ ra những điểm đáng ngờ và chọn việc nên làm.",
        "look": "phone",
        "lesson": "lua-dao-sap-nhap-tinh-xa",
        "steps": [
            (
                "scam_drill",
                {
                    "channel": "zalo",
                    "sender": "Công an phường – Hỗ trợ định danh (ảnh đại diện mặc đồng phục công an)",
                    "message": "THÔNG BÁO: Sau sáp nhập xã, phường năm 2025, tài khoản VNeID của ông/bà chưa cập nhật "
                    "địa chỉ mới và chưa được nâng lên định danh mức 2.\n"
                    "Ông/bà cần cập nhật VNeID mức 2 trước 17h hôm nay. Quá hạn, tài khoản sẽ bị khoá.\n"
                    f"Tải ứng dụng cập nhật tại: {FAKE_APP_LINK}\n"
                    "Cài xong, ông/bà nhập mã passcode VNeID và làm theo hướng dẫn quét khuôn mặt để xác thực. "
                    "Cán bộ sẽ gọi điện hỗ trợ.",
                    "elements": [
                        {
                            "text": "Đòi cập nhật VNeID mức 2 qua tin nhắn Zalo",
                            "is_flag": True,
                            "explanation": "Công an không làm thủ tục qua điện thoại, tin nhắn. Tài khoản định "
                            "danh mức 2 chỉ được kích hoạt khi bạn đến trực tiếp cơ quan công an.",
                        },
                        {
                            "text": "Ảnh đại diện mặc đồng phục công an",
                            "is_flag": False,
                            "explanation": "Ảnh đồng phục không nói lên điều gì: ai cũng lấy được trên mạng. Đừng "
                            "dựa vào ảnh để tin; hãy xem người đó đòi bạn làm gì.",
                        },
                        {
                            "text": "Nói phải cập nhật địa chỉ sau sáp nhập xã, phường",
                            "is_flag": True,
                            "explanation": "Sau sáp nhập, dữ liệu địa chỉ được cập nhật tự động. Bạn không cần làm "
                            "gì qua tin nhắn hay đường link.",
                        },
                        {
                            "text": "Hạn chót 17h hôm nay, quá hạn sẽ khoá tài khoản",
                            "is_flag": True,
                            "explanation": "Kẻ gian giục gấp và doạ khoá tài khoản để bạn không kịp suy nghĩ, "
                            "không kịp hỏi ai.",
                        },
                        {
                            "text": "Đường link tải tệp cài đặt có đuôi “.apk”",
                            "is_flag": True,
                            "explanation": "VNeID chỉ cài từ App Store hoặc Google Play. Tệp “.apk” tải qua link là "
                            "ứng dụng giả, có thể chiếm quyền điều khiển điện thoại. Địa chỉ cũng không có đuôi "
                            "“.gov.vn”.",
                        },
                        {
                            "text": "Tin nhắn viết đúng chính tả, có dấu đầy đủ",
                            "is_flag": False,
                            "explanation": "Viết đúng chính tả không làm tin nhắn thành thật: kẻ gian cũng viết rất "
                            "chuẩn. Hãy xem tin nhắn đòi bạn làm gì.",
                        },
                        {
                            "text": "Đòi nhập mã passcode VNeID và quét khuôn mặt",
                            "is_flag": True,
                            "explanation": "Không bao giờ đưa ai mã passcode hay quét khuôn mặt theo lời người lạ. "
                            "Kẻ gian dùng khuôn mặt của bạn để vượt qua bước xác thực khi rút tiền ngân hàng.",
                        },
                    ],
                    "actions": [
                        {
                            "text": "Bấm link, cài ứng dụng để cập nhật cho kịp 17h",
                            "safe": False,
                            "feedback": "Không an toàn: tệp “.apk” tải qua link là ứng dụng giả. Cài vào, kẻ gian có "
                            "thể điều khiển điện thoại, đọc mã OTP và rút tiền trong tài khoản ngân hàng của bạn.",
                        },
                        {
                            "text": "Không trả lời, không bấm link; gọi 156 để báo tin nhắn lừa đảo",
                            "safe": True,
                            "feedback": "Đúng vậy. Công an không làm thủ tục qua Zalo. Gọi 156 (miễn phí) để báo, "
                            "giúp ngăn kẻ gian lừa người khác.",
                        },
                        {
                            "text": "Chỉ cài ứng dụng thôi, không nhập passcode, không quét mặt",
                            "safe": False,
                            "feedback": "Không an toàn: chỉ cần cài tệp lạ là kẻ gian đã có thể chiếm quyền điện "
                            "thoại. “Cài thử rồi gỡ” cũng đã muộn.",
                        },
                        {
                            "text": "Không bấm link; tra địa chỉ trong tin nhắn tại tinnhiemmang.vn/website-lua-dao",
                            "safe": True,
                            "feedback": "Đúng vậy. Tại tinnhiemmang.vn bạn xem được trang đã bị báo là lừa đảo hay "
                            "chưa. Dù chưa có tên trong danh sách, địa chỉ không có đuôi “.gov.vn” thì đừng cài gì.",
                        },
                        {
                            "text": "Gọi lại cho tài khoản Zalo đó để hỏi cho chắc",
                            "safe": False,
                            "feedback": "Không an toàn: gọi lại cho tài khoản đó thì vẫn là nói chuyện với kẻ gian. "
                            "Muốn hỏi, hãy tự đến công an xã, phường nơi bạn ở.",
                        },
                        {
                            "text": "Không bấm link; nếu lo thông tin của mình có vấn đề, tự đến công an xã, phường để hỏi",
                            "safe": True,
                            "feedback": "Đúng vậy. Đến trực tiếp công an xã, phường là cách chắc chắn nhất; định "
                            "danh mức 2 cũng chỉ được kích hoạt khi bạn đến cơ quan công an.",
                        },
                    ],
                    "min_flags": 2,
                },
            ),
        ],
    },
    {
        "slug": "trang-web-gia-mao-phat-nguoi",
        "title": "Trang web giả mạo đòi nộp phạt vi phạm giao thông",
        "summary": "Nhân vật nhận một tin nhắn SMS báo có biên bản vi phạm giao thông chưa nộp phạt, kèm một "
        "đường link. Bấm vào, điện thoại mở ra trang dưới đây. Hãy đọc kỹ trang, chỉ ra những điểm đáng ngờ "
        "và chọn việc nên làm.",
        "look": "phone",
        "lesson": "doc-dia-chi-trang-web",
        "steps": [
            (
                "scam_drill",
                {
                    "channel": "web",
                    "sender": FAKE_FINE_PAGE,
                    "message": "[Logo quốc huy] CỔNG DỊCH VỤ CÔNG QUỐC GIA\n"
                    "Tra cứu và nộp phạt vi phạm giao thông\n"
                    "Phương tiện của bạn có 01 biên bản vi phạm giao thông chưa nộp phạt.\n"
                    "Hạn nộp: trước 17h hôm nay. Quá hạn, hồ sơ sẽ bị chuyển cưỡng chế.\n"
                    "Nộp phạt bằng chuyển khoản. Chủ tài khoản nhận tiền: NGUYEN VAN T\n"
                    "Chuyển khoản xong, nhập mã OTP ngân hàng vào ô dưới đây để xác nhận.\n"
                    "[Nút] NỘP PHẠT NGAY",
                    "elements": [
                        {
                            "text": "Địa chỉ trang: dichvucongs.top",
                            "is_flag": True,
                            "explanation": "Thừa chữ “s” và có đuôi “.top”. Trang của cơ quan nhà nước phải kết thúc "
                            "đúng bằng “.gov.vn”, như dichvucong.gov.vn.",
                        },
                        {
                            "text": "Nộp phạt vào tài khoản mang tên một người (NGUYEN VAN T)",
                            "is_flag": True,
                            "explanation": "Tiền phạt, phí, lệ phí nộp cho cơ quan nhà nước, không bao giờ vào tài "
                            "khoản của một cá nhân.",
                        },
                        {
                            "text": "Trang có logo quốc huy và tên “Cổng Dịch vụ công quốc gia”",
                            "is_flag": False,
                            "explanation": "Logo và tên gọi rất dễ sao chép, nên không nói lên trang thật hay giả. "
                            "Hãy đọc địa chỉ trang.",
                        },
                        {
                            "text": "Hạn nộp trước 17h hôm nay, quá hạn sẽ bị cưỡng chế",
                            "is_flag": True,
                            "explanation": "Kẻ gian giục gấp và đe doạ để bạn nộp tiền ngay, không kịp kiểm tra.",
                        },
                        {
                            "text": "Đòi nhập mã OTP ngân hàng trên trang",
                            "is_flag": True,
                            "explanation": "Không ai được đòi mã OTP của bạn. Nhập mã OTP vào trang giả là đưa chìa "
                            "khoá tài khoản ngân hàng cho kẻ gian.",
                        },
                        {
                            "text": "Trang mở ra từ đường link trong tin nhắn báo phạt",
                            "is_flag": True,
                            "explanation": "Tin nhắn báo phạt kèm link là chiêu quen thuộc; kẻ gian giả được cả tên "
                            "người gửi. Hãy tự gõ địa chỉ trang thật, đừng đi theo link.",
                        },
                    ],
                    "actions": [
                        {
                            "text": "Nộp phạt ngay cho kịp hạn 17h",
                            "safe": False,
                            "feedback": "Không an toàn: tiền sẽ vào tài khoản cá nhân của kẻ gian. Tiền phạt thật "
                            "chỉ nộp cho cơ quan nhà nước, không bao giờ vào tài khoản của một cá nhân.",
                        },
                        {
                            "text": "Đóng trang, tự gõ địa chỉ dichvucong.gov.vn thay vì đi theo link trong tin nhắn",
                            "safe": True,
                            "feedback": "Đúng vậy. Trang thật của nhà nước có đuôi “.gov.vn”; hãy tự gõ địa chỉ, "
                            "đừng bấm link trong tin nhắn. Tiền phạt thật không bao giờ nộp vào tài khoản cá nhân.",
                        },
                        {
                            "text": "Nhập mã OTP ngân hàng để xác nhận, vì trang có logo quốc huy",
                            "safe": False,
                            "feedback": "Không an toàn: logo sao chép được. Có mã OTP, kẻ gian đủ để rút tiền trong "
                            "tài khoản của bạn. Không ai được đòi mã OTP của bạn.",
                        },
                        {
                            "text": "Đóng trang, tra địa chỉ dichvucongs.top tại tinnhiemmang.vn/website-lua-dao",
                            "safe": True,
                            "feedback": "Đúng vậy. Tại tinnhiemmang.vn bạn xem được trang đã bị báo là lừa đảo hay "
                            "chưa. Dù chưa có tên trong danh sách, trang không có đuôi “.gov.vn” thì đừng nộp tiền.",
                        },
                        {
                            "text": "Đóng trang, gọi 156 để báo tin nhắn và trang web lừa đảo",
                            "safe": True,
                            "feedback": "Đúng vậy. Gọi 156 (miễn phí) để báo, giúp ngăn kẻ gian lừa người khác.",
                        },
                    ],
                    "min_flags": 2,
                },
            ),
        ],
    },
    {
        "slug": "tin-nhan-sms-cap-nhat-dinh-danh-con",
        "title": "Tin nhắn SMS đòi cập nhật số định danh của con để nhập học",
        "summary": "Mùa tuyển sinh, nhân vật nhận một tin nhắn SMS nói số định danh của con bị trùng, phải cập "
        "nhật lại thì con mới được nhập học lớp 6. Hãy đọc kỹ, chỉ ra những điểm đáng ngờ và chọn việc nên làm.",
        "look": "phone",
        "lesson": "tin-nhan-gia-mao",
        "steps": [
            (
                "scam_drill",
                {
                    "channel": "sms",
                    "sender": "TUYENSINH-BGD",
                    "message": "[TUYEN SINH 2026] So dinh danh ca nhan cua con ong/ba bi TRUNG tren he thong. "
                    "De con duoc xet nhap hoc lop 6, phu huynh cap nhat lai truoc 24h hom nay tai: "
                    f"{FAKE_SCHOOL_LINK}\n"
                    "Nhap so CCCD, so tai khoan ngan hang cua phu huynh va ma OTP de xac thuc. "
                    "Le phi cap nhat: 50.000d.",
                    "elements": [
                        {
                            "text": "Nói số định danh của con bị trùng, phải cập nhật lại qua tin nhắn",
                            "is_flag": True,
                            "explanation": "Số định danh do cơ quan công an cấp và quản lý. Nếu có sai sót, nhà "
                            "trường hoặc công an hướng dẫn trực tiếp; không ai sửa số định danh qua đường link.",
                        },
                        {
                            "text": "Tên người gửi “TUYENSINH-BGD”",
                            "is_flag": False,
                            "explanation": "Tên người gửi tin nhắn có thể bị giả: tin lừa đảo vẫn có thể hiện tên "
                            "giống cơ quan nhà nước. Đừng dựa vào tên người gửi; hãy xem tin nhắn đòi bạn làm gì.",
                        },
                        {
                            "text": "Hạn chót 24h hôm nay, không cập nhật thì con không được nhập học",
                            "is_flag": True,
                            "explanation": "Kẻ gian đánh vào nỗi lo của cha mẹ và giục gấp để bạn không kịp hỏi nhà "
                            "trường.",
                        },
                        {
                            "text": "Đường link có đuôi “.vip” và bắt đầu bằng “http://”",
                            "is_flag": True,
                            "explanation": "Trang của cơ quan nhà nước có đuôi “.gov.vn” và dùng “https://”. Đuôi lạ "
                            "như .vip, .top, .xyz là dấu hiệu trang giả.",
                        },
                        {
                            "text": "Đòi số tài khoản ngân hàng và mã OTP của phụ huynh",
                            "is_flag": True,
                            "explanation": "Không thủ tục nhập học nào cần mã OTP ngân hàng. Ai có mã OTP là rút "
                            "được tiền của bạn.",
                        },
                        {
                            "text": "Tin nhắn viết không dấu",
                            "is_flag": False,
                            "explanation": "Nhiều tin nhắn thật cũng viết không dấu để gửi được nhiều chữ. Viết có "
                            "dấu hay không dấu không nói lên tin thật hay giả.",
                        },
                    ],
                    "actions": [
                        {
                            "text": "Bấm link, cập nhật ngay cho con kịp nhập học",
                            "safe": False,
                            "feedback": "Không an toàn: trang giả sẽ lấy số CCCD, tài khoản và mã OTP của bạn để rút "
                            "tiền. Số định danh của con không sửa qua đường link.",
                        },
                        {
                            "text": "Không bấm link; gọi hoặc đến hỏi nhà trường, công an xã, phường",
                            "safe": True,
                            "feedback": "Đúng vậy. Hỏi thẳng nhà trường hoặc công an xã, phường nơi bạn ở là cách "
                            "chắc chắn nhất.",
                        },
                        {
                            "text": "Không bấm link; tra địa chỉ trong tin nhắn tại tinnhiemmang.vn/website-lua-dao",
                            "safe": True,
                            "feedback": "Đúng vậy. Tại tinnhiemmang.vn bạn xem được trang đã bị báo là lừa đảo hay "
                            "chưa. Dù chưa có tên trong danh sách, địa chỉ không có đuôi “.gov.vn” thì đừng nhập gì.",
                        },
                        {
                            "text": "Chỉ nộp 50.000 đồng lệ phí, không nhập OTP",
                            "safe": False,
                            "feedback": "Không an toàn: không có “lệ phí cập nhật” nào như vậy. Chuyển tiền cho kẻ gian "
                            "rồi, chúng sẽ tìm cách đòi thêm.",
                        },
                        {
                            "text": "Nhắn “S”, dấu cách, nội dung tin nhắn tới 156 để báo tin nhắn rác, lừa đảo; "
                            "rồi xoá tin",
                            "safe": True,
                            "feedback": "Đúng vậy. Báo tin nhắn lừa đảo tới 156 (hoặc 5656) giúp nhà mạng chặn kẻ gian "
                            "gửi cho người khác.",
                        },
                    ],
                    "min_flags": 2,
                },
            ),
        ],
    },
]
