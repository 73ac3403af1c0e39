"""crypto-api: serves cryptocurrency prices; the original system's FastAPI example, made runnable."""
import logging
import os
import secrets

from fastapi import Depends, FastAPI, Header, HTTPException

logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
log = logging.getLogger("crypto-api")

app = FastAPI(title="crypto-api")

# A fixed snapshot keeps the example self-contained; a real deployment would query a price feed.
PRICES = {"BTC": 67250.12, "ETH": 3512.40, "SOL": 148.77}


def require_api_key(x_api_key: str = Header(default="")) -> None:
    expected = os.environ.get("CRYPTO_API_KEY", "")
    if not expected or not secrets.compare_digest(x_api_key, expected):
        raise HTTPException(status_code=401, detail="missing or wrong X-API-Key")


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


@app.get("/prices", dependencies=[Depends(require_api_key)])
def prices() -> dict:
    log.info("prices requested")
    return {"currency": "USD", "prices": PRICES}
