"""The rules of KAA, one module per legal concept."""
