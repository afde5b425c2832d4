print("generate-vectors: not yet")
