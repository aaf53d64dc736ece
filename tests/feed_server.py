"""A real HTTP server on 127.0.0.1 serving arXiv API Atom responses, for feed tests."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3Dau%3APoole_B%26id_list%3D%26start%3D0%26max_results%3D10" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=au:Poole_B&amp;id_list=&amp;start=0&amp;max_results=10</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2026-11-25T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">3</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">10</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/abs/2611.01234v2</id>
    <updated>2026-11-24T18:00:00Z</updated>
    <published>2026-11-20T18:00:00Z</published>
    <title>Score Distillation for
      Tiny Worlds</title>
    <summary>  We distill text-to-image diffusion models into 3D scenes.
    Code at https://github.com/example/tiny.</summary>
    <author><name>Ben Poole</name><arxiv:affiliation xmlns:arxiv="http://arxiv.org/schemas/atom">Google DeepMind</arxiv:affiliation></author>
    <author><name>Ruiqi Gao</name></author>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">12 pages; code at https://github.com/example/tiny</arxiv:comment>
    <link href="http://arxiv.org/abs/2611.01234v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2611.01234v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2611.05678v1</id>
    <updated>2026-11-22T10:00:00Z</updated>
    <published>2026-11-22T10:00:00Z</published>
    <title>Learned Optimizers at the Edge</title>
    <summary>Training optimizers that run on phones.</summary>
    <author><name>Luke Metz</name></author>
    <link href="http://arxiv.org/abs/2611.05678v1" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2209.14988v1</id>
    <updated>2022-09-29T17:00:00Z</updated>
    <published>2022-09-29T17:00:00Z</published>
    <title>DreamFusion: Text-to-3D using 2D Diffusion</title>
    <summary>Already on the profile page.</summary>
    <author><name>Ben Poole</name></author>
    <link href="http://arxiv.org/abs/2209.14988v1" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"""


class FeedServer:
    """Serves a programmable sequence of responses: (status, body, delay seconds)."""

    def __init__(self) -> None:
        self.responses: list[tuple[int, bytes, float]] = []
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                status, body, delay = outer.responses.pop(0) if len(outer.responses) > 1 else outer.responses[0]
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/query"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
