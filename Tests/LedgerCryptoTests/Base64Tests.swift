import LedgerCrypto
import Testing

@Suite struct Base64Tests {
    /// RFC 4648 section 10.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    /// RFC 4648 section 5: `-` for `+`, `_` for `/`, no padding.
    @Test func theURLSafeAlphabet() {
        #expect(Base64.encode([0xfb, 0xff]) == "+/8=")
        #expect(Base64.encodeURLSafe([0xfb, 0xff]) == "-_8")
        #expect(Base64.encodeURLSafe(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect((0..<64).map { Base64.urlSafeCharacter($0) } == Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8))
    }

    @Test func allByteValuesRoundTrip() {
        let bytes = (0...255).map { UInt8($0) }
        let encoded = Base64.encode(bytes)
        #expect(encoded.hasSuffix("/w=="))  // the last byte, 0xff, uses the last alphabet letter
        #expect(Base64.decode(encoded) == bytes)
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zm8", "Z",  // missing padding / length not a multiple of 4
        "Zg===", "Zm8==", "Zm9v====",  // extra padding
        "Zh==", "Zm9=", "Zm+=",  // non-zero pad bits
        "Zm9v\n", " Zm9v", "Zm 9v", "Zm9v\r\n",  // white space
        "Zm-v", "Zm_v", "Zm9v!A==",  // outside the standard alphabet
        "Zg==Zg==", "=Zg=", "Z=g=", "====", "Zm=v",  // '=' where it cannot be
        "Zm9vé===",
    ])
    func rejectsNonCanonical(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    /// For every 2-character final quantum, decoding succeeds exactly when the pad bits are
    /// zero, and then re-encoding gives back the same text: one encoding per byte string.
    @Test func onlyCanonicalFinalQuantaDecode() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var accepted = 0
        for (firstValue, first) in alphabet.enumerated() {
            for (secondValue, second) in alphabet.enumerated() {
                let text = "\(first)\(second)=="
                let decoded = Base64.decode(text)
                #expect((decoded != nil) == (secondValue & 0x0F == 0), "\(text)")
                if let decoded {
                    accepted += 1
                    #expect(decoded == [UInt8(firstValue << 2 | secondValue >> 4)])
                    #expect(Base64.encode(decoded) == text)
                }
            }
        }
        #expect(accepted == 256)
    }

    @Test func everyTwoByteValueRoundTrips() {
        for value in 0..<65_536 {
            let bytes = [UInt8(value >> 8), UInt8(value & 0xFF)]
            let encoded = Base64.encode(bytes)
            #expect(encoded.utf8.count == 4 && encoded.hasSuffix("="))
            #expect(Base64.decode(encoded) == bytes)
        }
    }
}
