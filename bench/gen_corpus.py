"""Generate a synthetic archive of Vietnamese news articles for benchmarks.

    python bench/gen_corpus.py DEST -n 10000 [--seed 1] [--corpus auto|none|PATH]

writes DEST/articles/YYYY/MM/<slug>.md with full front-matter. The same
``n`` and ``seed`` always give the same files. Titles (and so slugs) are unique.

Bodies are built from sentence templates over hand-written news vocabulary
(mostly two-syllable words, as in real Vietnamese). With ``--corpus`` they are
built from sentences of the real Dân trí corpus instead (benchmarks only: the
corpus is never committed and tests never need it).

Other benches: ``from gen_corpus import generate; generate(dest, n, seed)``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from toasoan.core.text import slugify  # noqa: E402

CORPUS = Path("/work/shared/corpus/dantri-2653.jsonl.gz")


def _l(text: str) -> list[str]:
    return [w.strip() for w in text.split("|") if w.strip()]


DISTRICTS = _l("Thành phố Bắc Kạn|Ba Bể|Bạch Thông|Chợ Đồn|Chợ Mới|Na Rì|Ngân Sơn|Pác Nặm")
# Wards and communes since the 2025 reform: places configured in the sample mkdocs.yml.
OTHER_PLACES = _l("Phường Bắc Kạn|Phường Đức Xuân|Xã Ba Bể|Xã Chợ Rã|Xã Bằng Thành|Xã Phong Quang")
SECTIONS = _l("Thời sự|Chính trị|Kinh tế|Xã hội|Văn hóa|Thể thao|Quốc phòng – An ninh")

AUTHORS = _l("""Xuân Nghiệp|Minh Đức|Hoàng Anh|Nông Thị Hà|Ma Văn Tuấn|Hà Thị Liên|Lường Văn Bình|
Triệu Thị Mai|Hoàng Văn Sơn|Lý Thị Thu|Đàm Văn Chiến|Nguyễn Thị Hằng|Trần Minh Tâm|Phạm Quang Huy|
Lê Thu Trang|Bế Văn Hậu|Lục Thị Hoa|Dương Văn Khánh|Nông Văn Thắng|Hứa Thị Nga|Hà Văn Dũng|
Vi Thị Phượng|Đinh Ngọc Lâm|Mạc Văn Toàn|Lâm Thị Huyền|Ngọc Quý|Thanh Thủy|Bảo Ngọc|Hồng Nhung|
Văn Tuyến|Thu Hương|Đức Thịnh|Quốc Hưng|Kim Oanh|Hải Yến|Tiến Đạt|Phương Thảo|Mạnh Cường|Lan Anh|
Thái Sơn|Việt Hà|Ngọc Ánh""")

TAGS = _l("""nông nghiệp|nông thôn mới|giảm nghèo|chuyển đổi số|du lịch|hồ Ba Bể|sản phẩm OCOP|
xây dựng Đảng|công tác cán bộ|kiểm tra giám sát|phòng chống tham nhũng|cải cách hành chính|
đầu tư công|giải ngân vốn|giao thông|xây dựng cơ bản|thu ngân sách|doanh nghiệp|hợp tác xã|
khởi nghiệp|thương mại điện tử|xúc tiến đầu tư|khoa học công nghệ|giáo dục|y tế|bảo hiểm xã hội|
bảo hiểm y tế|việc làm|đào tạo nghề|an sinh xã hội|người có công|trẻ em|bình đẳng giới|
dân tộc thiểu số|chính sách dân tộc|văn hóa truyền thống|lễ hội|di tích lịch sử|thể dục thể thao|
bóng đá|bóng chuyền|điền kinh|võ thuật|quốc phòng|biên phòng|an ninh trật tự|an toàn giao thông|
phòng cháy chữa cháy|ma túy|tội phạm|môi trường|biến đổi khí hậu|thiên tai|mưa lũ|sạt lở đất|
rừng|trồng rừng|lâm nghiệp|chăn nuôi|trồng trọt|cây quế|cây hồi|miến dong|cam quýt|chè Shan tuyết|
gạo Bao thai|mơ vàng|hồng không hạt|thủy lợi|nước sạch|điện lưới|viễn thông|dịch vụ công|
Mặt trận Tổ quốc|Đoàn Thanh niên|Hội Phụ nữ|Hội Nông dân|Hội Cựu chiến binh|công đoàn|
Hội đồng nhân dân|kỳ họp|tiếp xúc cử tri|bầu cử|Đại hội Đảng|nghị quyết|học tập và làm theo Bác|
tư tưởng Hồ Chí Minh|thi đua khen thưởng|kỷ niệm|ngày lễ lớn|Tết Nguyên đán|an toàn thực phẩm|
dịch bệnh|tiêm chủng|COVID-19|sốt xuất huyết|khám chữa bệnh|bệnh viện|trạm y tế|trường học|
kỳ thi tốt nghiệp|học sinh giỏi|giáo viên|sách giáo khoa|thư viện|báo chí|phát thanh truyền hình|
công nghệ thông tin|chữ ký số|đất đai|quy hoạch|khoáng sản|tài nguyên nước|xây dựng nông thôn|
nhà ở|xóa nhà tạm|tín dụng chính sách|ngân hàng|kho bạc|thuế|hải quan|giá cả thị trường|
xăng dầu|chợ phiên|làng nghề|du lịch cộng đồng|homestay|ẩm thực|dân ca|hát then|đàn tính|
trang phục dân tộc|người cao tuổi|thanh niên tình nguyện|mùa hè xanh|hiến máu|từ thiện|
đối ngoại|hợp tác quốc tế|kinh tế tập thể|kinh tế tư nhân|công nghiệp|tiểu thủ công nghiệp|
năng lượng|thủy điện|chương trình 135|chương trình 1719|tuyển quân|dân quân tự vệ|diễn tập""")

ORGS = _l("""Tỉnh ủy|Ban Thường vụ Tỉnh ủy|Hội đồng nhân dân tỉnh|Ủy ban nhân dân tỉnh|
Ủy ban Mặt trận Tổ quốc tỉnh|Sở Nông nghiệp và Phát triển nông thôn|Sở Kế hoạch và Đầu tư|
Sở Tài chính|Sở Giáo dục và Đào tạo|Sở Y tế|Sở Văn hóa, Thể thao và Du lịch|Sở Giao thông vận tải|
Sở Tài nguyên và Môi trường|Sở Lao động – Thương binh và Xã hội|Sở Thông tin và Truyền thông|
Công an tỉnh|Bộ Chỉ huy Quân sự tỉnh|Bộ đội Biên phòng tỉnh|Tỉnh đoàn|Hội Nông dân tỉnh|
Hội Liên hiệp Phụ nữ tỉnh|Liên đoàn Lao động tỉnh|Ban Dân tộc tỉnh|Ban Tuyên giáo Tỉnh ủy|
Ban Tổ chức Tỉnh ủy|Ủy ban Kiểm tra Tỉnh ủy|Ngân hàng Chính sách xã hội tỉnh|Bảo hiểm xã hội tỉnh|
Cục Thuế tỉnh|Kho bạc Nhà nước tỉnh|Trung tâm Kiểm soát bệnh tật tỉnh|Bệnh viện Đa khoa tỉnh|
Ủy ban nhân dân huyện|Huyện ủy|Đảng ủy xã|Ủy ban nhân dân xã|Hợp tác xã nông nghiệp|
Đoàn công tác của tỉnh|đoàn giám sát|các sở, ngành|các địa phương|chính quyền cơ sở""")

VERBS = _l("""tổ chức|triển khai|tổng kết|sơ kết|kiểm tra|giám sát|hỗ trợ|phát động|ra mắt|khai mạc|
bế mạc|phê duyệt|ban hành|thông qua|đánh giá|rà soát|đẩy mạnh|tăng cường|nâng cao|thực hiện|
hướng dẫn|tập huấn|tuyên truyền|vận động|trao tặng|khen thưởng|đối thoại|làm việc về|bàn giải pháp|
đôn đốc|khảo sát|nghiệm thu|khánh thành|khởi công|bàn giao|ký kết|phối hợp|quán triệt|thăm hỏi|
chúc mừng|tiếp nhận|cấp phát|xây dựng|phát triển|bảo vệ|chỉ đạo""")

OBJECTS = _l("""hội nghị tổng kết công tác năm|kế hoạch phát triển kinh tế – xã hội|chương trình mục tiêu quốc gia|
nhiệm vụ trọng tâm|công tác xây dựng Đảng|phong trào thi đua yêu nước|công tác phòng chống thiên tai|
mô hình sản xuất hàng hóa|chuỗi liên kết tiêu thụ sản phẩm|dự án hạ tầng giao thông|công tác giảm nghèo bền vững|
chương trình xây dựng nông thôn mới|đề án phát triển du lịch|kế hoạch chuyển đổi số|công tác cải cách hành chính|
việc giải ngân vốn đầu tư công|công tác tuyển sinh|công tác khám chữa bệnh|chiến dịch tiêm chủng|
phong trào toàn dân bảo vệ an ninh Tổ quốc|công tác tuyển chọn và gọi công dân nhập ngũ|
lớp bồi dưỡng kiến thức|giải thể thao các dân tộc|liên hoan văn nghệ quần chúng|lễ hội truyền thống|
sản phẩm OCOP|mô hình trồng cây dược liệu|diện tích rừng trồng mới|công trình nước sinh hoạt tập trung|
nhà đại đoàn kết|vốn vay ưu đãi|quà cho hộ nghèo|gia đình chính sách|công tác an toàn vệ sinh thực phẩm|
công tác phòng cháy chữa cháy rừng|tình hình an ninh trật tự|hoạt động của hợp tác xã|dự thảo nghị quyết|
kết quả thực hiện nghị quyết|báo cáo chính trị|quy chế dân chủ ở cơ sở|công tác cán bộ|thu ngân sách nhà nước""")

ADVS = _l("""hiệu quả|kịp thời|đúng tiến độ|bảo đảm chất lượng|một cách đồng bộ|trên địa bàn|ngay từ đầu năm|
trong thời gian tới|theo đúng quy định|với nhiều nội dung thiết thực|một cách thực chất|
trong những tháng cuối năm|tại các thôn, bản|cho người dân vùng cao|sát với thực tế|có trọng tâm, trọng điểm""")

CONNECTORS = _l("""Theo đó|Bên cạnh đó|Đồng thời|Ngoài ra|Trong thời gian qua|Cùng với đó|Tuy nhiên|
Thời gian tới|Để thực hiện mục tiêu này|Qua đó|Trước đó|Nhờ vậy|Từ đầu năm đến nay|Cũng tại buổi làm việc""")

TITLES = _l("""Ông|Bà|Đồng chí""")
ROLES = _l("""Bí thư Tỉnh ủy|Chủ tịch Ủy ban nhân dân tỉnh|Phó Chủ tịch Ủy ban nhân dân tỉnh|Giám đốc Sở|
Chủ tịch Ủy ban nhân dân huyện|Bí thư Huyện ủy|Trưởng thôn|Chủ nhiệm hợp tác xã|Trưởng phòng|
Phó Giám đốc Trung tâm|Chủ tịch Hội Nông dân xã|Bí thư chi bộ""")
UNITS = _l("""hộ gia đình|thôn, bản|hợp tác xã|doanh nghiệp|đảng viên|học sinh|lao động|hộ nghèo|
công trình|lượt người|héc-ta|tấn sản phẩm|cơ sở|trường học""")
RESULTS = _l("""vượt kế hoạch đề ra|tăng so với cùng kỳ năm trước|đạt chuẩn theo quy định|
được hỗ trợ kịp thời|tham gia tích cực|hoàn thành nhiệm vụ|có thu nhập ổn định|thoát nghèo bền vững""")
PURPOSES = _l("""góp phần nâng cao đời sống nhân dân|tạo sự đồng thuận trong xã hội|
thúc đẩy phát triển kinh tế địa phương|bảo đảm an sinh xã hội|giữ gìn bản sắc văn hóa dân tộc|
củng cố niềm tin của nhân dân|hoàn thành các chỉ tiêu nghị quyết|xây dựng hệ thống chính trị vững mạnh""")
HEADINGS = _l("""Kết quả bước đầu|Những khó khăn, vướng mắc|Giải pháp trong thời gian tới|Ý kiến của người dân|
Nhiều cách làm sáng tạo|Tập trung nguồn lực|Phát huy vai trò của cơ sở""")


# General news vocabulary, most frequent first: picked with Zipf-like weights so
# syllable frequencies fall off as in real text (a few words everywhere, a long tail).
NOUNS = _l("""người dân|cán bộ|đảng viên|doanh nghiệp|nhân dân|địa phương|đơn vị|chính quyền|
gia đình|học sinh|nông dân|thanh niên|phụ nữ|trẻ em|cộng đồng|cơ sở|kinh tế|văn hóa|xã hội|chính sách|
nguồn vốn|ngân sách|dự án|công trình|sản phẩm|thị trường|giá trị|thu nhập|đời sống|năng suất|chất lượng|
kết quả|mục tiêu|nhiệm vụ|giải pháp|khó khăn|hạn chế|nguyên nhân|tiềm năng|lợi thế|vùng cao|biên giới|
đất sản xuất|ruộng bậc thang|vườn cam|đồi chè|lúa nước|cây ngô|đậu tương|gia súc|gia cầm|đàn trâu|
con giống|phân bón|thời tiết|mùa vụ|lũ quét|hạn hán|rét đậm|hạ tầng|đường giao thông|cây cầu|nhà văn hóa|
trường học|trạm y tế|bệnh viện|phòng học|giáo viên|bác sĩ|bệnh nhân|cử tri|đại biểu|hội viên|đoàn viên|
chiến sĩ|lực lượng|tổ công tác|ban chỉ đạo|hội đồng|ủy ban|tập thể|cá nhân|ý kiến|kiến nghị|đề xuất|
quy định|văn bản|kế hoạch|đề án|chương trình|phong trào|hoạt động|sự kiện|lễ hội|di sản|bản sắc|
truyền thống|phong tục|tiếng nói|chữ viết|trang phục|món ăn|nghề dệt|nghề rèn|sản vật|đặc sản|
du khách|lượt khách|doanh thu|lợi nhuận|vốn vay|lãi suất|hộ nghèo|hộ cận nghèo|lao động|việc làm|
tay nghề|kỹ năng|kiến thức|công nghệ|thiết bị|máy móc|phần mềm|dữ liệu|hồ sơ|thủ tục|dịch vụ|
môi trường|nguồn nước|rác thải|diện tích|sản lượng|tổng đàn|tỷ lệ|chỉ tiêu|tiến độ|khối lượng|
mặt bằng|nhà thầu|chủ đầu tư|hiện trường|mùa mưa|mùa khô|vụ xuân|vụ mùa|thu hoạch|giá bán|thương lái""")
VERBS2 = _l("""thực hiện|tổ chức|triển khai|hỗ trợ|phát triển|nâng cao|tham gia|đầu tư|xây dựng|bảo đảm|
tập trung|quan tâm|chú trọng|đẩy mạnh|tăng cường|giải quyết|khắc phục|tháo gỡ|hướng dẫn|tuyên truyền|
vận động|phối hợp|kiểm tra|theo dõi|đánh giá|đề nghị|đề xuất|kiến nghị|chỉ đạo|lãnh đạo|quản lý|
sử dụng|khai thác|bảo tồn|phát huy|gìn giữ|mở rộng|nhân rộng|liên kết|tiêu thụ|sản xuất|chế biến|
chăm sóc|trồng mới|thu hoạch|cải tạo|sửa chữa|nâng cấp|hoàn thiện|hoàn thành|bàn giao|đưa vào|
tiếp cận|chuyển đổi|ứng dụng|cung cấp|tiếp nhận|giải ngân|huy động|lồng ghép|ưu tiên|dành""")
ADJS = _l("""quan trọng|hiệu quả|thiết thực|bền vững|ổn định|tích cực|rõ rệt|đáng kể|cao|thấp|lớn|nhỏ|
mới|khó khăn|thuận lợi|phức tạp|cấp thiết|kịp thời|đồng bộ|chặt chẽ|nghiêm túc|sôi nổi|phấn khởi|
an toàn|sạch|xanh|đẹp|khang trang|kiên cố|vững chắc|đa dạng|phong phú|độc đáo|đặc sắc|hấp dẫn|
chủ động|sáng tạo|linh hoạt|cụ thể|rõ ràng|minh bạch|công khai|dân chủ|đoàn kết|thống nhất""")
SURNAMES = _l("Nông|Hoàng|Triệu|Lý|Ma|Hà|Lường|Đàm|Bế|Lục|Nguyễn|Trần|Lê|Phạm|Dương|Hứa|Vi|Đinh|Mạc|Lâm|Lộc|Sầm|Chu|Bàn|Đặng|Phùng|Vũ|Đỗ")
MIDDLES = _l("Văn|Thị|Đức|Ngọc|Minh|Thanh|Quang|Hữu|Xuân|Thu|Kim|Hồng|Tiến|Mạnh|Thế")
GIVEN = _l("""An|Bình|Cường|Dũng|Duyên|Giang|Hà|Hải|Hạnh|Hiền|Hiếu|Hoa|Hòa|Hùng|Hương|Huyền|Khánh|Khoa|
Lan|Liên|Linh|Loan|Long|Lợi|Mai|Minh|Nam|Nga|Ngân|Nhung|Phong|Phúc|Phương|Quân|Quế|Sơn|Tâm|Thắm|
Thành|Thảo|Thắng|Thịnh|Thơm|Thủy|Tình|Toàn|Trang|Trung|Tuấn|Tùng|Uyên|Vân|Việt|Vinh|Xuân|Yến|Chiến|Diệp""")
VILLAGE_HEADS = _l("Nà|Pác|Khuổi|Cốc|Lủng|Bản|Phiêng|Khau|Nặm|Thẳm|Pù|Slam|Khâu|Bó")
VILLAGE_TAILS = _l("Làng|Ngòi|Mạ|Vài|Tậu|Quang|Diếu|Lào|Hin|Chang|Pục|Mỏ|Cáy|Phầy|Lạn|Pjạc|Nưa|Đeng|Mòn|Sliến")


def _zipf(words: list[str]) -> tuple[list[str], list[float]]:
    total, cum = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cum.append(total)
    return words, cum


_N, _V, _A = _zipf(NOUNS), _zipf(VERBS2), _zipf(ADJS)


def _pick(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    return rng.choices(table[0], cum_weights=table[1])[0]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}"


def _village(rng: random.Random) -> str:
    return f"{rng.choice(['thôn', 'bản'])} {rng.choice(VILLAGE_HEADS)} {rng.choice(VILLAGE_TAILS)}"


def _free_sentence(rng: random.Random, place: str, day: datetime) -> str:
    """A freer sentence: general words, function words, people and villages."""
    n1, n2, n3 = _pick(rng, _N), _pick(rng, _N), _pick(rng, _N)
    v1, v2, a1, a2 = _pick(rng, _V), _pick(rng, _V), _pick(rng, _A), _pick(rng, _A)
    kind = rng.randrange(5)
    if kind == 0:
        return (f"{rng.choice(['Nhiều', 'Các', 'Những'])} {n1} ở {_village(rng)} đã {v1} {n2} {a1}, "
                f"{rng.choice(['nhưng', 'tuy vậy', 'song'])} {n3} vẫn còn {a2}.")
    if kind == 1:
        return (f"Việc {v1} {n1} của {n2} là {a1} để {v2} {n3} {rng.choice(['cho', 'tại', 'trên'])} "
                f"địa bàn {place}.")
    if kind == 2:
        pct = f"{rng.randint(1, 40)},{rng.randint(1, 9)}"
        return (f"Năm {day.year}, {place} có {rng.randint(20, 9000)} {n1}, "
                f"{rng.choice(['tăng', 'giảm'])} {pct}% so với năm {day.year - 1}.")
    if kind == 3:
        return (f"Anh {_person(rng)} ở {_village(rng)} cho biết, nhờ được {v1} {n1} nên {n2} "
                f"của gia đình {rng.choice(['ngày càng', 'đã', 'cũng'])} {a1} hơn.")
    return (f"Theo bà {_person(rng)}, {rng.choice(ROLES)}, {n1} và {n2} cần được {v1} "
            f"một cách {a1}, {rng.choice(PURPOSES)}.")

def _sentence(rng: random.Random, place: str, day: datetime) -> str:
    """One news sentence from a template; all slots are real news phrases."""
    if rng.random() < 0.5:
        return _free_sentence(rng, place, day)
    org, verb, obj, adv = rng.choice(ORGS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(ADVS)
    kind = rng.randrange(7)
    if kind == 0:
        part = rng.choice(["Sáng", "Chiều", "Ngày"])
        return f"{part} {day.day}/{day.month}, tại {place}, {org} {verb} {obj} {adv}."
    if kind == 1:
        return f"{rng.choice(CONNECTORS)}, {org} {verb} {obj}, {rng.choice(PURPOSES)}."
    if kind == 2:
        who = f"{rng.choice(TITLES).lower()} {_person(rng)}, {rng.choice(ROLES)}"
        return f"Theo {who}, {org} đã {verb} {obj} {adv}."
    if kind == 3:
        num = rng.choice([rng.randint(12, 990), f"{rng.randint(1, 9)}.{rng.randint(100, 999)}"])
        return f"Đến nay, {place} đã có {num} {rng.choice(UNITS)} {rng.choice(RESULTS)}."
    if kind == 4:
        return (f"“Chúng tôi sẽ tiếp tục {verb} {obj} {adv}”, {rng.choice(TITLES).lower()} "
                f"{_person(rng)} cho biết.")
    if kind == 5:
        money = f"{rng.randint(1, 250)},{rng.randint(1, 9)} tỷ đồng"
        return f"Tổng kinh phí thực hiện {obj} năm {day.year} là {money}, {rng.choice(RESULTS)}."
    return (f"{org[0].upper() + org[1:]} đề nghị các đơn vị tiếp tục {rng.choice(VERBS)} "
            f"{rng.choice(OBJECTS)}, {rng.choice(PURPOSES)}.")


def _synthetic_body(rng: random.Random, words: int, place: str, day: datetime) -> str:
    paragraphs, count = [], 0
    while count < words:
        para = " ".join(_sentence(rng, place, day) for _ in range(rng.randint(2, 4)))
        count += len(para.split())
        paragraphs.append(para)
        if len(paragraphs) in (3, 6) and rng.random() < 0.4:
            paragraphs.append(f"## {rng.choice(HEADINGS)}")
    return "\n\n".join(paragraphs)


def load_sentences(path: Path) -> list[str]:
    """Sentences of the real corpus that are plain text (no Markdown or HTML marks)."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            for para in json.loads(line)["paragraphs"]:
                for s in para.replace("! ", "!\n").replace("? ", "?\n").replace(". ", ".\n").split("\n"):
                    s = " ".join(s.split())
                    if 6 <= len(s.split()) <= 60 and not any(c in s for c in "<>=`*#[]_|{}\\"):
                        out.append(s)
    return out


def _corpus_body(rng: random.Random, words: int, sentences: list[str]) -> str:
    paragraphs, count = [], 0
    while count < words:
        para = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4)))
        count += len(para.split())
        paragraphs.append(para)
    return "\n\n".join(paragraphs)


def _title(rng: random.Random, place: str, year: int) -> str:
    subject = rng.choice([place, place, rng.choice(ORGS)])
    subject = subject[0].upper() + subject[1:]
    tail = rng.choice(["", "", f" năm {year}", f" {rng.choice(ADVS)}", f" giai đoạn {year}–{year + 4}"])
    return f"{subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{tail}"


def _yaml(value: str) -> str:
    """A safe YAML scalar: quoted when YAML could misread it."""
    return json.dumps(value, ensure_ascii=False) if any(c in value for c in ":#[]{},&*!|>'\"%@`") else value


def generate(dest: Path, n: int, seed: int = 1, corpus: Path | None = None,
             start: datetime = datetime(2019, 1, 1), end: datetime = datetime(2026, 11, 20)) -> list[Path]:
    """Write ``n`` articles below ``dest/articles``; return their paths.

    Deterministic for a given (n, seed, corpus). Dates spread uniformly over
    [start, end) (before the tests' pinned clock, so all are published).
    """
    rng = random.Random(seed)
    sentences = load_sentences(corpus) if corpus else None
    span = int((end - start).total_seconds() // 60)
    minutes = sorted(rng.randrange(span) for _ in range(n))
    places = DISTRICTS * 4 + OTHER_PLACES  # most news is about the province
    seen: set[str] = set()
    slugs: list[str] = []
    written = []
    for i in range(n):
        day = start + timedelta(minutes=minutes[i])
        place = rng.choice(places)
        title = _title(rng, place, day.year)
        tries = 0
        while slugify(title) in seen or len(slugify(title, 200)) > 80:
            tries += 1
            title = _title(rng, place, day.year) if tries < 8 else f"{_title(rng, place, day.year)} (kỳ {tries})"
        slug = slugify(title)
        seen.add(slug)
        authors = rng.sample(AUTHORS, 2 if rng.random() < 0.12 else 1)
        words = rng.randint(300, 600)
        body = _corpus_body(rng, words, sentences) if sentences else _synthetic_body(rng, words, place, day)
        meta = [
            f"title: {_yaml(title)}",
            f"date: {day:%Y-%m-%d %H:%M}",
            f"author: {_yaml(authors[0])}" if len(authors) == 1 else f"author: [{', '.join(authors)}]",
            f"location: {place}",
            f"category: {rng.choice(SECTIONS)}",
            f"tags: [{', '.join(rng.sample(TAGS, rng.randint(2, 4)))}]",
        ]
        if rng.random() < 0.3:
            meta.append(f"summary: {_yaml(_sentence(rng, place, day))}")
        if slugs and rng.random() < 0.05:  # an editor's hand-picked links, to older articles
            meta.append(f"related: [{', '.join(rng.sample(slugs[-200:], min(2, len(slugs[-200:]))))}]")
        path = dest / "articles" / f"{day:%Y}" / f"{day:%m}" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + "\n".join(meta) + "\n---\n\n" + body + "\n", encoding="utf-8")
        slugs.append(slug)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Sinh kho bài viết tiếng Việt giả lập cho benchmark.")
    ap.add_argument("dest", type=Path, help="thư mục đích (bài viết vào DEST/articles)")
    ap.add_argument("-n", type=int, default=1000, help="số bài (mặc định 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", default="none",
                    help="'none' (mặc định), 'auto' (dùng kho Dân trí nếu có) hoặc đường dẫn .jsonl.gz")
    args = ap.parse_args(argv)
    print(f"{len(generate(args.dest, args.n, args.seed, resolve_corpus(args.corpus)))} bài → {args.dest / 'articles'}")


def resolve_corpus(choice: str) -> Path | None:
    """'none' → None; 'auto' → the shared corpus if present; else a path."""
    if choice == "none":
        return None
    if choice == "auto":
        return CORPUS if CORPUS.exists() else None
    return Path(choice)


if __name__ == "__main__":
    main()
