print("scilearn")
