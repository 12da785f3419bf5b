"""Pure domain rules: identifiers, normalisation of names/numbers/amounts/dates, publicity periods."""
