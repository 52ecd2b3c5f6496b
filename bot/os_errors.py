"""Errors of the operating system and the network said in the reader's language, never as the
English of `strerror` ("No such file or directory", "Connect call failed")."""

from __future__ import annotations

import errno
import socket

from handlers.i18n import _


def os_reason(error: OSError) -> str:
    """Why the file or the connection failed, in words an operator acts on."""
    if isinstance(error, socket.gaierror):
        return _("không tìm thấy máy chủ theo tên này")
    if isinstance(error, TimeoutError):
        return _("quá thời gian chờ, máy chủ không trả lời")
    reasons = {
        errno.ENOENT: _("không có tệp hoặc thư mục này"),
        errno.EACCES: _("không có quyền truy cập"),
        errno.EPERM: _("không có quyền truy cập"),
        errno.EISDIR: _("đây là một thư mục, không phải tệp"),
        errno.ENOTDIR: _("một phần của đường dẫn không phải thư mục"),
        errno.ENOSPC: _("ổ đĩa đã đầy"),
        errno.EROFS: _("ổ đĩa chỉ cho đọc"),
        errno.ECONNREFUSED: _("máy chủ từ chối kết nối (chưa chạy, hoặc sai địa chỉ, cổng)"),
        errno.EHOSTUNREACH: _("không tới được máy chủ"),
        errno.ENETUNREACH: _("không có đường mạng tới máy chủ"),
        errno.ETIMEDOUT: _("quá thời gian chờ, máy chủ không trả lời"),
    }
    if error.errno in reasons:
        return reasons[error.errno]
    if isinstance(error, ConnectionError) or "connect" in str(error).lower():
        # asyncpg gathers the failures of every address tried into one OSError without errno.
        return _("không kết nối được tới máy chủ")
    return _("lỗi hệ thống (mã {code})").format(code=error.errno if error.errno else "?")
