"""Money: currency knowledge from CLDR, value in NOK from ECB rates, and the money corpus."""
