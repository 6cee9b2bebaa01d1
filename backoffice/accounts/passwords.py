from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_LENGTH = 8  # the default of BACKOFFICE_PASSWORD_MIN_LENGTH
# zxcvbn's score: 0-1 means under a million guesses (its common-password, word
# and keyboard-pattern lists, l33t and dates included). Logins are throttled, so
# a million guesses is out of reach online; anything below is refused.
MIN_SCORE = 2
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; a longer password is judged by its start
# Common passwords of Chinese users that zxcvbn's English lists lack (pinyin
# words and "lucky" numbers as they top the published leak lists).
CHINESE_COMMON = ("woaini", "woaini1314", "5201314", "1314", "520", "woaiwojia", "wodemima", "mima", "aini",
                  "qq", "qwe", "asd", "zxc", "taobao", "baobao", "nihao", "zhang", "wang", "li", "liu",
                  "chen", "yang", "huang", "zhao", "zhou", "wu", "88888888", "666666", "168", "1688")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so unknown usernames are not revealed.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, username: str = "", min_length: int = MIN_LENGTH,
                     personal: tuple[str, ...] = ()) -> str | None:
    """A reason the password is unacceptable, or None. ``personal``: words of
    this user and shop (name, display name) that make a password guessable."""
    if len(password) < min_length:
        return "too_short"
    if password.isdigit() or len(set(password)) < 3:
        return "too_simple"
    if username and username.lower() in password.lower():
        return "contains_username"
    words = [w for text in (username, *personal) for w in re.split(r"[\W_]+", text) if w] + list(CHINESE_COMMON)
    if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=words)["score"] < MIN_SCORE:
        return "too_common"
    return None
