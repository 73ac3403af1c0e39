import threading
import unittest
import urllib.request
from http.server import ThreadingHTTPServer

from app import Handler


class HealthTest(unittest.TestCase):
    def test_health(self):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/health") as res:
            self.assertEqual(res.status, 200)
        server.shutdown()


if __name__ == "__main__":
    unittest.main()
