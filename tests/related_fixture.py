"""A small archive for the related-articles tests: unrelated stories plus three
clusters, each about one event told on different days in different words."""

from __future__ import annotations

from sitebuild import article

# cluster name -> [(file, front-matter and body)]
CLUSTERS = {
    "sat-lo": [
        ("2023/07/sat-lo-nam-mau.md", dict(
            title="Mưa lớn gây sạt lở, chia cắt đường vào xã Nam Mẫu",
            date="2023-07-10 07:30", location="Ba Bể", category="Thời sự", tags=["thiên tai"],
            body="Trận mưa lớn kéo dài suốt đêm qua đã gây sạt lở nhiều điểm trên tuyến đường "
                 "vào xã Nam Mẫu, huyện Ba Bể. Hàng nghìn khối đất đá đổ xuống mặt đường, "
                 "giao thông bị chia cắt hoàn toàn.\n\nLực lượng chức năng đã cắm biển cảnh báo, "
                 "khuyến cáo người dân không đi qua khu vực sạt lở.")),
        ("2023/07/thong-tuyen-nam-mau.md", dict(
            title="Thông tuyến đường Nam Mẫu sau ba ngày khắc phục sạt lở",
            date="2023-07-13 16:00", location="Ba Bể", category="Thời sự",
            body="Sau ba ngày huy động máy xúc, máy ủi dọn hàng nghìn khối đất đá, tuyến đường "
                 "vào xã Nam Mẫu đã thông xe trở lại.\n\nHuyện Ba Bể tiếp tục theo dõi các điểm "
                 "có nguy cơ sạt lở, nhất là khi mưa lớn còn kéo dài.")),
        ("2023/07/ho-tro-ho-dan-nam-mau.md", dict(
            title="Hỗ trợ các hộ dân Nam Mẫu bị ảnh hưởng do sạt lở đất",
            date="2023-07-20 09:00", location="Ba Bể", category="Xã hội", tags=["thiên tai"],
            body="Ủy ban nhân dân huyện Ba Bể đã trao tiền hỗ trợ cho các hộ dân xã Nam Mẫu có "
                 "nhà bị hư hỏng do sạt lở đất trong đợt mưa lớn vừa qua.\n\nCác hộ có nguy cơ "
                 "bị sạt lở sẽ được di dời đến nơi ở an toàn trước mùa mưa bão.")),
    ],
    "mien-dong": [
        ("2023/10/thu-hoach-dong-rieng.md", dict(
            title="Nông dân Bằng Lãng vào vụ thu hoạch củ dong riềng",
            date="2023-10-05 08:00", location="Chợ Đồn", category="Kinh tế",
            body="Những ngày này, nông dân xã Bằng Lãng, huyện Chợ Đồn tất bật thu hoạch củ dong "
                 "riềng. Năm nay dong riềng được mùa, năng suất đạt khá.\n\nCủ dong riềng được các "
                 "cơ sở làm miến dong trong xã thu mua ngay tại ruộng.")),
        ("2023/11/mien-dong-ocop.md", dict(
            title="Miến dong Bằng Lãng đạt chuẩn sản phẩm OCOP",
            date="2023-11-02 10:00", location="Chợ Đồn", category="Kinh tế", tags=["OCOP"],
            body="Sản phẩm miến dong của hợp tác xã ở xã Bằng Lãng vừa được công nhận đạt chuẩn "
                 "OCOP ba sao.\n\nTừ củ dong riềng của bà con trong xã, hợp tác xã làm ra sợi miến "
                 "dai, trong, được khách hàng ưa chuộng.")),
        ("2023/12/mien-dong-vu-tet.md", dict(
            title="Cơ sở làm miến dong Chợ Đồn tất bật vụ Tết",
            date="2023-12-18 14:00", location="Chợ Đồn", category="Kinh tế",
            body="Gần Tết, các cơ sở làm miến dong ở Bằng Lãng chạy hết công suất. Sợi miến dong "
                 "phơi kín các sân.\n\nMỗi ngày mỗi cơ sở làm ra hàng tạ miến từ tinh bột dong "
                 "riềng, giao cho các đại lý trong và ngoài tỉnh.")),
    ],
    "dai-hoi": [
        ("2020/06/chuan-bi-dai-hoi-na-ri.md", dict(
            title="Na Rì chuẩn bị chu đáo cho Đại hội Đảng bộ huyện",
            date="2020-06-15 08:00", location="Na Rì", category="Chính trị",
            body="Ban Thường vụ Huyện ủy Na Rì đã họp cho ý kiến vào dự thảo báo cáo chính trị "
                 "trình Đại hội đại biểu Đảng bộ huyện lần thứ XXI.\n\nCông tác nhân sự ban chấp "
                 "hành nhiệm kỳ mới được chuẩn bị theo đúng quy định.")),
        ("2020/07/khai-mac-dai-hoi-na-ri.md", dict(
            title="Khai mạc Đại hội đại biểu Đảng bộ huyện Na Rì lần thứ XXI",
            date="2020-07-08 08:00", location="Na Rì", category="Chính trị",
            body="Sáng nay, Đại hội đại biểu Đảng bộ huyện Na Rì lần thứ XXI, nhiệm kỳ 2020 – "
                 "2025 khai mạc với sự tham dự của hai trăm đại biểu.\n\nĐại hội thảo luận báo cáo "
                 "chính trị và bầu ban chấp hành Đảng bộ huyện khóa mới.")),
        ("2020/07/be-mac-dai-hoi-na-ri.md", dict(
            title="Bế mạc Đại hội Đảng bộ huyện Na Rì, bầu Ban Chấp hành khóa mới",
            date="2020-07-10 11:00", location="Na Rì", category="Chính trị",
            body="Sau hai ngày làm việc, Đại hội đại biểu Đảng bộ huyện Na Rì lần thứ XXI đã bế "
                 "mạc.\n\nĐại hội đã bầu Ban Chấp hành Đảng bộ huyện nhiệm kỳ 2020 – 2025 và thông "
                 "qua nghị quyết đại hội.")),
    ],
}

UNRELATED = [
    ("2023/03/tiem-chung-pac-nam.md", dict(
        title="Pác Nặm đẩy nhanh tiêm chủng cho trẻ em vùng cao",
        date="2023-03-04 08:00", location="Pác Nặm", category="Xã hội",
        body="Trung tâm Y tế huyện Pác Nặm tổ chức các buổi tiêm chủng lưu động tại các thôn "
             "vùng cao.\n\nCán bộ y tế đến từng nhà vận động phụ huynh đưa trẻ đi tiêm đủ mũi.")),
    ("2023/04/bong-da-thieu-nien.md", dict(
        title="Khởi tranh giải bóng đá thiếu niên thành phố",
        date="2023-04-12 15:00", location="Thành phố Bắc Kạn", category="Thể thao",
        body="Mười hai đội bóng thiếu niên tranh tài tại sân vận động thành phố.\n\nGiải đấu nhằm "
             "phát hiện các cầu thủ nhỏ tuổi có năng khiếu.")),
    ("2023/05/trong-rung-ngan-son.md", dict(
        title="Ngân Sơn trồng mới hàng trăm héc-ta rừng",
        date="2023-05-20 07:00", location="Ngân Sơn", category="Kinh tế", tags=["lâm nghiệp"],
        body="Từ đầu năm, người dân huyện Ngân Sơn đã trồng mới hàng trăm héc-ta rừng sản xuất, "
             "chủ yếu là cây quế và cây hồi.\n\nNgành lâm nghiệp hỗ trợ cây giống cho các hộ.")),
    ("2023/06/dich-vu-cong-truc-tuyen.md", dict(
        title="Tăng tỉ lệ hồ sơ nộp qua dịch vụ công trực tuyến",
        date="2023-06-08 09:00", location="Thành phố Bắc Kạn", category="Thời sự",
        body="Trung tâm Phục vụ hành chính công tỉnh hướng dẫn người dân nộp hồ sơ qua mạng.\n\n"
             "Tỉ lệ hồ sơ trực tuyến toàn trình tăng mạnh so với năm trước.")),
    ("2023/09/khai-giang.md", dict(
        title="Học sinh toàn tỉnh hân hoan dự lễ khai giảng năm học mới",
        date="2023-09-05 07:30", location="Bạch Thông", category="Xã hội",
        body="Sáng nay, hơn bảy vạn học sinh trong tỉnh dự lễ khai giảng.\n\nCác trường học đã "
             "sửa sang phòng học, bàn ghế để đón học sinh.")),
    ("2023/08/du-lich-ho-ba-be.md", dict(
        title="Khách du lịch đến hồ Ba Bể tăng mạnh dịp hè",
        date="2023-08-02 10:00", location="Ba Bể", category="Văn hóa", tags=["du lịch"],
        body="Mùa hè, hồ Ba Bể đón hàng vạn lượt khách tham quan, đi thuyền và nghỉ tại các "
             "homestay của người Tày ở bản Pác Ngòi.\n\nCác hộ làm du lịch cộng đồng có thu nhập khá.")),
    ("2023/11/cam-quyt-cho-don.md", dict(
        title="Cam quýt Chợ Đồn được giá đầu vụ",
        date="2023-11-10 08:00", location="Chợ Đồn", category="Kinh tế",
        body="Những vườn cam quýt ở Chợ Đồn đang cho thu hoạch.\n\nThương lái đến tận vườn thu "
             "mua với giá cao hơn năm ngoái.")),
    ("2023/02/an-toan-giao-thong.md", dict(
        title="Bảo đảm an toàn giao thông dịp lễ hội đầu xuân",
        date="2023-02-01 08:00", location="Thành phố Bắc Kạn", category="Quốc phòng – An ninh",
        body="Công an tỉnh tăng cường tuần tra, kiểm soát trên các tuyến quốc lộ.\n\nNgười điều "
             "khiển xe đã uống rượu bia sẽ bị xử phạt nghiêm.")),
    ("2023/03/phong-chay-rung.md", dict(
        title="Chủ động phòng cháy chữa cháy rừng mùa khô",
        date="2023-03-15 08:00", location="Bạch Thông", category="Quốc phòng – An ninh",
        body="Kiểm lâm huyện Bạch Thông phối hợp với các xã trực ba mươi tư giờ tại các khu rừng "
             "dễ cháy.\n\nNgười dân không đốt nương gần rừng khi trời hanh khô.")),
    ("2023/12/thu-ngan-sach.md", dict(
        title="Thu ngân sách nhà nước năm 2023 vượt dự toán",
        date="2023-12-28 16:00", location="Thành phố Bắc Kạn", category="Kinh tế",
        body="Tổng thu ngân sách nhà nước trên địa bàn tỉnh năm nay vượt dự toán được giao.\n\n"
             "Ngành thuế tiếp tục đôn đốc thu hồi nợ đọng thuế.")),
]

# Articles that look just like the landslide cluster but may never be linked.
HIDDEN = [
    ("2023/07/sat-lo-nam-mau-nhap.md", dict(
        title="Bản nháp: sạt lở đất ở Nam Mẫu, huyện Ba Bể", draft=True,
        date="2023-07-11 07:30", location="Ba Bể", category="Thời sự",
        body="Mưa lớn gây sạt lở đất, đất đá đổ xuống đường vào xã Nam Mẫu, huyện Ba Bể.")),
    ("2026/12/sat-lo-nam-mau-hen-gio.md", dict(
        title="Một năm sau sạt lở ở Nam Mẫu, huyện Ba Bể",
        date="2026-12-20 07:30", location="Ba Bể", category="Thời sự",
        body="Mưa lớn gây sạt lở đất ở xã Nam Mẫu, huyện Ba Bể; các hộ dân đã có nơi ở an toàn.")),
]


def files(*, hidden: bool = True, **extra: dict) -> dict[str, str]:
    """path -> Markdown text of the fixture archive; ``extra`` adds front-matter by path."""
    items = [item for cluster in CLUSTERS.values() for item in cluster] + UNRELATED
    if hidden:
        items += HIDDEN
    out = {}
    for path, fields in items:
        fields = {"author": "Phóng viên", "slug": slug_of(path), **fields, **extra.get(path, {})}
        out[path] = article(**fields)
    return out


def slug_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")
