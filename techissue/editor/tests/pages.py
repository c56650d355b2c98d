"""Pages on a loopback server for the add-by-address tests: an article, a home page of links, a PDF."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARAGRAPHS = [
    "국내 반도체 업체들이 올해 3분기 메모리 수출에서 사상 최대 실적을 냈다고 산업통상자원부가 밝혔다.",
    "고대역폭 메모리 수요가 인공지능 서버 투자와 함께 늘면서 수출 단가도 함께 올랐다는 설명이다.",
    "업계는 내년 상반기까지 공급이 빠듯할 것으로 보고 생산 설비 증설 계획을 앞당기고 있다.",
    "다만 전문가들은 특정 고객사에 대한 의존도가 높아진 점을 위험 요인으로 꼽으며 수요처 다변화를 주문했다.",
    "정부는 연구개발 세액 공제를 넓히고 전력망과 용수 같은 기반 시설 지원도 서두르겠다고 덧붙였다.",
]
ARTICLE = (
    "<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>반도체 수출 사상 최대</title>"
    "<meta property='og:title' content='반도체 수출, 3분기 사상 최대'>"
    "<meta property='article:published_time' content='2026-11-30T09:00:00+09:00'></head>"
    "<body><header><a href='/'>테크 일보</a></header><article><h1>반도체 수출, 3분기 사상 최대</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>테크 일보</footer></body></html>"
)
INDEX = (
    "<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>테크 일보</title></head><body><nav>"
    + "".join(f"<a href='/news/{n}'>오늘의 기사 제목 {n}번: 시장과 기술 소식</a><br>" for n in range(30))
    + "</nav></body></html>"
)


def _handler() -> type[BaseHTTPRequestHandler]:
    class Pages(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            routes = {
                "/news/chips": ("text/html; charset=utf-8", ARTICLE.encode()),
                "/": ("text/html; charset=utf-8", INDEX.encode()),
                "/report.pdf": ("application/pdf", b"%PDF-1.4 not really"),
            }
            path = self.path.split("?", 1)[0]
            if path not in routes:
                self.send_error(404)
                return
            kind, body = routes[path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Pages


@contextmanager
def serve_pages() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
