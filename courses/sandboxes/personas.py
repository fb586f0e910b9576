"""Synthetic people for sandbox runs: a realistic Vietnamese identity that belongs to nobody."""

import hashlib
import random
from dataclasses import asdict, dataclass
from datetime import date

from courses.sandboxes.identity import make_id_number

FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE_NAMES = {
    "nam": ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công"],
    "nu": ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim"],
}
GIVEN_NAMES = {
    "nam": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khánh",
        "Long",
        "Nam",
        "Phúc",
        "Quân",
        "Sơn",
        "Thắng",
        "Tuấn",
    ],
    "nu": [
        "Anh",
        "Dung",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Liên",
        "Mai",
        "Nga",
        "Nhung",
        "Oanh",
        "Thảo",
        "Yến",
    ],
}
ETHNICITY = "Kinh"
NATIONALITY = "Việt Nam"


@dataclass(frozen=True)
class Persona:
    full_name: str
    sex: str  # "nam" or "nu", as in learner profiles
    birth_date: str  # ISO date
    id_number: str
    phone_masked: str  # shown masked, as the portal does: never a whole phone number
    province_code: int
    province_name: str
    commune_code: int
    commune_name: str
    street: str
    ethnicity: str
    nationality: str
    password: str
    passcode: str
    seed: str  # for the one-time codes of this run
    level: int = 2

    @property
    def sex_label(self) -> str:
        return "Nữ" if self.sex == "nu" else "Nam"

    @property
    def birth_date_display(self) -> str:
        year, month, day = self.birth_date.split("-")
        return f"{day}/{month}/{year}"

    @property
    def address(self) -> str:
        return f"{self.street}, {self.commune_name}, {self.province_name}"

    def as_dict(self) -> dict:
        return asdict(self)


def make_persona(
    rng: random.Random, *, province: tuple[int, str], commune: tuple[int, str], level: int = 2
) -> Persona:
    """A new persona living in the given (real) province and commune."""
    sex = rng.choice(["nam", "nu"])
    birth = date(rng.randint(1955, 1995), rng.randint(1, 12), rng.randint(1, 28))
    name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES[sex])} {rng.choice(GIVEN_NAMES[sex])}"
    return Persona(
        full_name=name,
        sex=sex,
        birth_date=birth.isoformat(),
        id_number=make_id_number(birth, sex, rng),
        phone_masked=f"09{'•' * 6}{rng.randrange(100):02d}",
        province_code=province[0],
        province_name=province[1],
        commune_code=commune[0],
        commune_name=commune[1],
        street=f"Số {rng.randint(1, 199)}, tổ {rng.randint(1, 30)}",
        ethnicity=ETHNICITY,
        nationality=NATIONALITY,
        password=f"Thuchanh@{rng.randrange(10_000):04d}",
        passcode=f"{rng.randrange(10**6):06d}",
        seed=f"{rng.getrandbits(64):016x}",
        level=level,
    )


def persona_from(data: dict) -> Persona:
    return Persona(**data)


def one_time_code(persona: Persona, purpose: str) -> str:
    """The OTP the mock phone shows for one purpose of one run (the same on every device)."""
    digest = hashlib.sha256(f"{persona.seed}:{purpose}".encode()).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 10**6:06d}"
