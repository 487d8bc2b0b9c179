"""paradip's release schema: Pydantic models (`records`) and everything derived from them."""
