import os

from fastapi.testclient import TestClient

os.environ["CRYPTO_API_KEY"] = "test-key"

from main import app  # noqa: E402

client = TestClient(app)


def test_health():
    assert client.get("/health").json() == {"status": "ok"}


def test_prices_need_key():
    assert client.get("/prices").status_code == 401
    assert client.get("/prices", headers={"X-API-Key": "test-key"}).status_code == 200
